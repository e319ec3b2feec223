package io.cairn.rpc.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.cairn.rpc.RpcException;
import java.util.Map;
import org.junit.jupiter.api.Test;

class QueryParsingTest {
  @Test
  void repeatedArgsKeepOrderAndBareFlagsAreEmpty() throws Exception {
    Map<String, String[]> q = RpcServlet.parseQuery("arg=%2Fip4%2F1.2.3.4&arg=b&stream=true&progress&&x=a+b");
    assertArrayEquals(new String[] {"/ip4/1.2.3.4", "b"}, q.get("arg"));
    assertArrayEquals(new String[] {""}, q.get("progress"));
    assertArrayEquals(new String[] {"a b"}, q.get("x"));
  }

  @Test
  void malformedEscapeIsAClientError() {
    RpcException e = assertThrows(RpcException.class, () -> RpcServlet.parseQuery("arg=%zz"));
    assertEquals(RpcException.Code.CLIENT, e.code());
    assertEquals(400, e.code().httpStatus());
  }
}
