import java.util.Map;
import java.util.ServiceLoader;
import org.osgi.framework.launch.Framework;
import org.osgi.framework.launch.FrameworkFactory;

/** Baseline for bench/boot.sh: the Felix framework alone, no bundles; prints "ready" when started, then idles. */
public class BareFelix {
  public static void main(String[] args) throws Exception {
    Framework fw = ServiceLoader.load(FrameworkFactory.class).findFirst().orElseThrow()
        .newFramework(Map.of("org.osgi.framework.storage", args[0], "org.osgi.framework.storage.clean", "onFirstInit"));
    fw.start();
    System.out.println("ready");
    System.out.flush();
    fw.waitForStop(0);
  }
}
