package io.cairn.dag.commands.internal;

import io.cairn.blockstore.MultiTierBlockstore;
import io.cairn.car.Car;
import io.cairn.car.CarWriter;
import io.cairn.dag.DagService;
import io.cairn.multiformats.Cid;
import io.cairn.pin.Pinner;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;

/**
 * Gogo: {@code dag:import <file.car>...} (stores the blocks with a progress line, then pins each root
 * recursively, as {@code ipfs dag import}) and {@code dag:export <cid> <file.car>}.
 */
@Component(service = DagShellCommands.class, configurationPid = DagCommands.PID,
    configurationPolicy = ConfigurationPolicy.OPTIONAL,
    property = {"osgi.command.scope=dag", "osgi.command.function=import", "osgi.command.function=export"})
public class DagShellCommands {
  /** The progress line is redrawn each time this many more blocks are stored. */
  private static final long PROGRESS_EVERY = 1000;

  private final MultiTierBlockstore store;
  private final DagService dag;
  private final Logger log;
  private volatile DagCommandsSettings settings;
  /** The pinner, when one runs; typed {@code Object} for the reason {@link DagCommands.Import} gives. */
  @Reference(service = Pinner.class, cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
      policyOption = ReferencePolicyOption.GREEDY)
  volatile Object pinner;

  @Activate
  public DagShellCommands(@Reference MultiTierBlockstore store, @Reference DagService dag,
      @Reference(service = LoggerFactory.class) Logger log, DagCommandsConfig config) {
    this.store = store;
    this.dag = dag;
    this.log = log;
    this.settings = DagCommands.settings(config, null, log);
  }

  @Modified
  void modified(DagCommandsConfig config) {
    settings = DagCommands.settings(config, settings, log);
  }

  /** Imports the CAR files and pins their roots; prints progress, then one line a root and the totals. */
  public String importCar(PrintStream console, String... files) throws Exception {
    if (files.length == 0) {
      throw new IllegalArgumentException("usage: dag:import <file.car>...");
    }
    long[] shown = {0};
    CarImport car = new CarImport(store, settings, n -> {
      synchronized (shown) {
        if (n - shown[0] >= PROGRESS_EVERY) {
          shown[0] = n;
          console.print("\rimported " + n + " blocks");
          console.flush();
        }
      }
    });
    for (String file : files) {
      try (InputStream in = Files.newInputStream(Path.of(file))) {
        car.read(in);
      } catch (java.io.IOException e) {
        throw new java.io.IOException(file + ": " + e.getMessage(), e);
      }
    }
    console.print("\r");
    StringBuilder out = new StringBuilder();
    for (Cid root : car.roots()) {
      String error = Pins.pinRecursively(pinner, root, DagCommands.PIN_TIMEOUT);
      out.append("Pinned root\t").append(root).append('\t').append(error.isEmpty() ? "success" : "FAILED: " + error)
          .append('\n');
    }
    out.append("Imported ").append(car.readBlocks()).append(" blocks (").append(car.readBytes()).append(" bytes)\n");
    return out.toString();
  }

  /** Gogo's name for {@link #importCar} ({@code import} is a Java keyword): progress goes to the console. */
  public String _import(String... files) throws Exception {
    return importCar(System.out, files);
  }

  /** Writes the DAG under {@code cid} to {@code file} as a CAR v1. */
  public String export(String cid, String file) throws Exception {
    Cid root = DagCommands.cidArgument(cid);
    Path path = Path.of(file);
    CarWriter[] car = new CarWriter[1];
    try (OutputStream out = Files.newOutputStream(path)) {
      long blocks = DagCommands.export(dag, root, settings.blockTimeout(), () -> Car.writer(out, List.of(root)), car);
      car[0].close();
      return "wrote " + blocks + " blocks (" + car[0].offset() + " bytes) to " + path;
    } catch (DagCommands.WalkFailure f) {
      Files.deleteIfExists(path);
      throw new java.io.IOException("dag:export " + root + ": " + f.getMessage(), f.getCause());
    }
  }
}
