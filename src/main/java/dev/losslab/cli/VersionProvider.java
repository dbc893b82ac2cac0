package dev.losslab.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import picocli.CommandLine;

/** Prints losslab's and its libraries' versions. */
public final class VersionProvider implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() throws IOException {
        Properties p = new Properties();
        try (InputStream in = VersionProvider.class.getResourceAsStream("/dev/losslab/versions.properties")) {
            if (in != null) {
                p.load(in);
            }
        }
        return new String[] {"losslab " + p.getProperty("losslab", "unknown"),
                "TensorFlow Java " + p.getProperty("tensorflow-java", "unknown") + ", Smile " + p.getProperty("smile", "unknown")};
    }
}
