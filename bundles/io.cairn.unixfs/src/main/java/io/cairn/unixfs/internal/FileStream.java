package io.cairn.unixfs.internal;

import io.cairn.blockstore.Block;
import io.cairn.multiformats.Cid;
import io.cairn.unixfs.UnixFsException;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.CompletableFuture;

/**
 * A file's bytes from an offset, read depth-first as consumed: only the nodes on the way down and the
 * leaves are fetched, skipped subtrees are passed over by their blocksizes, and the next few siblings of
 * the child being read are asked for ahead ({@code readAheadBlocks}). Not thread-safe.
 */
final class FileStream extends InputStream {
  private final Reads reads;
  private final Deque<Frame> stack = new ArrayDeque<>();
  private byte[] chunk = new byte[0];
  private int chunkPos;
  private long remaining;
  /** Where the wanted range ends in the file: children starting at or past it are never fetched. */
  private final long end;
  private boolean closed;

  /** A file node being read: which child comes next, and the fetches already asked for. */
  private final class Frame {
    final FsNode node;
    /** Where each child's bytes start in the file. */
    final long[] childStart;
    int next;
    /** Bytes of the next child to skip (the offset falls inside it). */
    long skipInNext;
    @SuppressWarnings("unchecked")
    final CompletableFuture<Block>[] pending;

    @SuppressWarnings("unchecked")
    Frame(FsNode node, long firstChildStart) {
      this.node = node;
      this.pending = new CompletableFuture[node.links().size()];
      long[] sizes = node.data().blockSizes();
      this.childStart = new long[sizes.length];
      long at = firstChildStart;
      for (int i = 0; i < sizes.length; i++) {
        childStart[i] = at;
        at += sizes[i];
      }
    }

    CompletableFuture<Block> fetch(int i) {
      for (int j = i; j < pending.length && j <= i + reads.settings.readAheadBlocks() && (j == i || childStart[j] < end);
          j++) {
        if (pending[j] == null) {
          pending[j] = reads.source.get(node.links().get(j).cid());
        }
      }
      CompletableFuture<Block> f = pending[i];
      pending[i] = null;
      return f;
    }

    void cancel() {
      for (CompletableFuture<Block> f : pending) {
        if (f != null) {
          f.cancel(false);
        }
      }
    }
  }

  /**
   * @param root the file's root node (already checked to be a file)
   * @param offset where to start; past the end gives an empty stream
   * @param length the most bytes to give; -1 for all
   */
  FileStream(Reads reads, FsNode root, long offset, long length) throws UnixFsException {
    this.reads = reads;
    this.remaining = length < 0 ? Long.MAX_VALUE : length;
    this.end = length < 0 ? Long.MAX_VALUE : offset + length;
    enter(root, 0, offset);
  }

  /**
   * Takes a node whose bytes start at {@code start} in the file into the read: its inline bytes after
   * {@code skip} become the chunk, its children stack up.
   */
  private void enter(FsNode node, long start, long skip) throws UnixFsException {
    if (stack.size() > reads.settings.maxFileDepth()) {
      throw reads.deep(node.cid());
    }
    node.checkFile();
    byte[] inline = node.inline();
    if (skip < inline.length) {
      chunk = inline;
      chunkPos = (int) skip;
      skip = 0;
    } else {
      chunk = inline;
      chunkPos = inline.length;
      skip -= inline.length;
    }
    if (node.links().isEmpty()) {
      return;
    }
    Frame frame = new Frame(node, start + inline.length);
    long[] sizes = node.data().blockSizes();
    while (frame.next < sizes.length && skip >= sizes[frame.next]) {
      skip -= sizes[frame.next++];
    }
    frame.skipInNext = skip;
    stack.push(frame);
  }

  /** Makes the chunk hold unread bytes; false at the end of the file. */
  private boolean advance() throws IOException {
    while (chunkPos >= chunk.length) {
      Frame top = stack.peek();
      if (top == null) {
        return false;
      }
      if (top.next >= top.node.links().size()) {
        stack.pop();
        continue;
      }
      int i = top.next++;
      long skip = top.skipInNext;
      top.skipInNext = 0;
      Cid child = top.node.links().get(i).cid();
      try {
        FsNode node = FsNode.parse(reads.source.await(top.fetch(i), child), reads.settings.maxLinksPerNode());
        long expected = top.node.data().blockSizes()[i];
        if (node.fileSize() != expected) {
          throw new UnixFsException(child, "malformed UnixFS file " + top.node.cid() + ": child " + child + " holds "
              + node.fileSize() + " bytes but its blocksize says " + expected);
        }
        enter(node, top.childStart[i], skip);
      } catch (UnixFsException e) {
        throw new IOException(e.getMessage(), e);
      }
    }
    return true;
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    if (closed) {
      throw new IOException("stream closed");
    }
    if (len == 0) {
      return 0;
    }
    if (remaining == 0 || !advance()) {
      return -1;
    }
    int n = (int) Math.min(Math.min(len, chunk.length - chunkPos), remaining);
    System.arraycopy(chunk, chunkPos, b, off, n);
    chunkPos += n;
    remaining -= n;
    return n;
  }

  @Override
  public void close() {
    closed = true;
    stack.forEach(Frame::cancel);
    stack.clear();
  }
}
