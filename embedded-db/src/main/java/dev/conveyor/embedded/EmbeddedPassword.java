package dev.conveyor.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded database's password: generated once, kept in the data directory in a file only its
 * owner may read (mode 0600), and set on the server's accounts by an init file at every start. So a
 * data directory made before there was a password (the server then ran with
 * {@code --skip-grant-tables}) gets one at its first start with this code, and a password file
 * restored from a backup always wins over what the grant tables hold.
 */
final class EmbeddedPassword {
    /** In the data directory: where the data go, their key goes, and a backup takes both. */
    static final String FILE_NAME = "conveyor-db-password";

    private static final Logger log = LoggerFactory.getLogger(EmbeddedPassword.class);
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");
    private static final String ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";
    private static final int LENGTH = 32;

    private EmbeddedPassword() {
    }

    /** The password kept in {@code dataDir}, generated and written (mode 0600) when there is none. */
    static String loadOrCreate(Path dataDir) {
        Path file = dataDir.resolve(FILE_NAME);
        try {
            if (!Files.exists(file)) {
                write(file, generate());
                log.info("generated a password for the embedded database in {} (mode 0600)", file);
            }
            if (!Files.getPosixFilePermissions(file).equals(OWNER_ONLY)) {
                log.warn("{} was readable by others ({}); made it 0600", file,
                        PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
                Files.setPosixFilePermissions(file, OWNER_ONLY);
            }
            String password = Files.readString(file, StandardCharsets.US_ASCII).strip();
            if (password.length() < 16 || !password.chars().allMatch(c -> ALPHABET.indexOf(c) >= 0)) {
                throw new IllegalStateException("embedded database password file " + file
                        + " must hold one password of at least 16 letters and digits; delete it to have a new one made");
            }
            return password;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or create the embedded database password file " + file, e);
        }
    }

    /**
     * SQL that mariadbd runs at start, before it accepts connections (one statement a line, as
     * {@code --init-file} wants): anonymous accounts gone, and root over TCP only with the password.
     * Root on the socket keeps the install's authentication: the socket is in a directory only this
     * user can enter.
     */
    static String initSql(String password, String database) {
        String quoted = "'" + password + "'";
        return String.join("\n",
                "DELETE FROM mysql.global_priv WHERE User = '';",
                "FLUSH PRIVILEGES;",
                "CREATE USER IF NOT EXISTS 'root'@'127.0.0.1' IDENTIFIED BY " + quoted + ";",
                "ALTER USER 'root'@'127.0.0.1' IDENTIFIED BY " + quoted + ";",
                "GRANT ALL PRIVILEGES ON *.* TO 'root'@'127.0.0.1' WITH GRANT OPTION;",
                "CREATE DATABASE IF NOT EXISTS " + database + " CHARACTER SET utf8mb4 COLLATE utf8mb4_bin;",
                "");
    }

    /** Writes {@code text} to {@code file} with mode 0600 from its first byte. */
    static void writeOwnerOnly(Path file, String text) {
        try {
            write(file, text);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    private static void write(Path file, String text) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".new");
        Files.deleteIfExists(tmp);
        try {
            Files.createFile(tmp, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
        } catch (FileAlreadyExistsException e) {
            throw new IOException("another process is writing " + tmp, e);
        }
        Files.writeString(tmp, text, StandardCharsets.US_ASCII);
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    private static String generate() {
        SecureRandom random = new SecureRandom();
        StringBuilder sb = new StringBuilder(LENGTH);
        for (int i = 0; i < LENGTH; i++) {
            sb.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
        }
        return sb.append('\n').toString();
    }
}
