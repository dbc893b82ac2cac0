package dev.losslab.util;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** A command for another machine drops the launcher's pointer to this machine's extracted TF libraries. */
class JavaLauncherTest {
    @Test
    void portableCommandDropsTheLocalNativeLibraryFlagsOnly() {
        List<String> local = List.of("/usr/bin/java", "-Xmx1g", "-Dorg.bytedeco.javacpp.findLibraries=false",
                "-Djava.library.path=/root/.javacpp/cache/x", "-cp", "a.jar", "dev.losslab.cli.Main");
        assertEquals(List.of("/usr/bin/java", "-Xmx1g", "-cp", "a.jar", "dev.losslab.cli.Main"), JavaLauncher.portable(local));
        // a library path the user set (no findLibraries=false from the launcher) stays
        List<String> user = List.of("/usr/bin/java", "-Djava.library.path=/opt/lib", "-cp", "a.jar", "dev.losslab.cli.Main");
        assertEquals(user, JavaLauncher.portable(user));
    }

    @Test
    void aWorkerRunsOnTheFirstJitTierUnlessTheFlagsChooseOne() {
        List<String> plain = List.of("/usr/bin/java", "-Xmx1g", "-cp", "a.jar", "dev.losslab.cli.Main");
        assertEquals(List.of("/usr/bin/java", "-XX:TieredStopAtLevel=1", "-Xmx1g", "-cp", "a.jar", "dev.losslab.cli.Main"),
                JavaLauncher.forWorker(plain));
        List<String> c2 = List.of("/usr/bin/java", "-XX:TieredStopAtLevel=4", "-cp", "a.jar", "dev.losslab.cli.Main");
        assertEquals(c2, JavaLauncher.forWorker(c2));
        List<String> off = List.of("/usr/bin/java", "-XX:-TieredCompilation", "-cp", "a.jar", "dev.losslab.cli.Main");
        assertEquals(off, JavaLauncher.forWorker(off));
    }
}
