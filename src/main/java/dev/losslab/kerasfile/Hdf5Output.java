package dev.losslab.kerasfile;

import io.jhdf.Superblock;
import io.jhdf.WritableGroupImpl;
import io.jhdf.WritableHdfFile;
import io.jhdf.api.WritableGroup;
import io.jhdf.storage.HdfFileChannel;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.function.Consumer;

/**
 * An HDF5 file written with jhdf's public writing parts (a version 2/3 superblock, the group tree, then the superblock
 * naming the end of the file), without {@link WritableHdfFile#close}'s last step: jhdf 0.9.4 appends its version
 * string at the channel's position, which is where the last dataset's values ended, not the end of the file, so it
 * overwrites the header of any group written after them (checked here: such files fail in libhdf5 1.10.8 and in jhdf's
 * own reader). Without that string, and without the {@code _jHDF} attribute it also stamps on the root, the root holds
 * exactly what the caller puts in it, as in Keras' files.
 */
final class Hdf5Output {
    private Hdf5Output() {
    }

    /** Writes a new file {@code file} (refused if it exists) whose root group {@code build} fills. */
    static void write(Path file, Consumer<WritableGroup> build) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ,
                StandardOpenOption.WRITE)) {
            Superblock.SuperblockV2V3 superblock = new Superblock.SuperblockV2V3();
            HdfFileChannel hdf = new HdfFileChannel(channel, superblock);
            WritableGroupImpl root = new WritableGroupImpl(null, "/");
            build.accept(root);
            root.write(hdf, WritableHdfFile.ROOT_GROUP_ADDRESS);
            hdf.write(superblock.toBuffer(channel.size()), 0L);
            channel.force(true);
        }
    }
}
