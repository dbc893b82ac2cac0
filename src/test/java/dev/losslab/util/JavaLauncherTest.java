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
}
