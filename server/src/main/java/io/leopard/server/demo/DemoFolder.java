package io.leopard.server.demo;

import io.leopard.server.config.LeopardConfig;
import io.leopard.server.merchant.MasterKey;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Where {@code leopard demo} keeps its database: {@code demo/} under the data dir ({@code data/demo}
 * by default), made fresh at every start and kept after the demo stops, so that it can be looked
 * at or served again ({@code LEOPARD_DATA_DIR=data/demo leopard serve}). Beside the database it
 * holds the master key file that decrypts the demo merchants' keys.
 */
public final class DemoFolder {
    /** The folder's name under the data dir. */
    public static final String NAME = "demo";

    private DemoFolder() {
    }

    /** The demo folder that goes with the data dir {@code dataDir}. */
    public static Path of(Path dataDir) {
        return dataDir.resolve(NAME);
    }

    /**
     * Deletes what the previous demo left in {@code folder}: the database files ({@code leopard.*})
     * and the master key. Any other file is left alone, so a data dir pointed at a folder that holds
     * something else loses nothing but a demo.
     */
    public static void reset(Path folder) {
        try {
            Files.createDirectories(folder);
            try (DirectoryStream<Path> files = Files.newDirectoryStream(folder, "{leopard.*,master.key}")) {
                for (Path file : files) {
                    Files.delete(file);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot make the demo folder " + folder + " fresh: " + e.getMessage(), e);
        }
    }

    /**
     * The demo's configuration on top of {@code base}: the embedded database in {@code folder}, and
     * a new master key written to {@code folder/master.key} (the folder must have been {@link #reset}).
     * Keys from the environment are set aside: the kept database must be readable with the file alone.
     */
    public static LeopardConfig config(LeopardConfig base, Path folder) {
        Path keyFile = folder.resolve("master.key");
        MasterKey.createFile(keyFile);
        return base.with(Map.of("data-dir", folder.toString(), "db.url", "", "master-key", "",
                "master-key-previous", "", "master-key-file", keyFile.toString()));
    }
}
