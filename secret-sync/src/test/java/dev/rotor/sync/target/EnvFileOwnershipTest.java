package dev.rotor.sync.target;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rotor.contracts.catalog.TargetSpec;
import dev.rotor.sync.io.AtomicFiles;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.nio.file.attribute.UserPrincipalLookupService;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A rewritten env file keeps its owner, group and mode, and a symbolic link to it stays a link. */
class EnvFileOwnershipTest {
    @TempDir
    Path dir;

    private static java.util.List<String> names(Path directory) throws java.io.IOException {
        try (var files = Files.list(directory)) {
            return files.map(f -> f.getFileName().toString()).toList();
        }
    }

    private static EnvFileTarget target(Path file) {
        return EnvFileTarget.of(new TargetSpec("env-file", file.toString(), "JWT_SECRET", null, null));
    }

    @Test
    void aGroupReadableFileKeepsItsOwnerGroupAndMode() throws Exception {
        UserPrincipalLookupService names = dir.getFileSystem().getUserPrincipalLookupService();
        Assumptions.assumeTrue("root".equals(System.getProperty("user.name")), "changing a file's owner needs root");
        UserPrincipal nobody = names.lookupPrincipalByName("nobody");
        GroupPrincipal daemon = names.lookupPrincipalByGroupName("daemon");
        Path file = Files.writeString(dir.resolve(".env"), "# app\nJWT_SECRET=old\n");
        PosixFileAttributeView view = Files.getFileAttributeView(file, PosixFileAttributeView.class);
        view.setOwner(nobody);
        view.setGroup(daemon);
        view.setPermissions(PosixFilePermissions.fromString("rw-r-----"));
        Object inode = Files.readAttributes(file, PosixFileAttributes.class).fileKey();

        target(file).write(LineChange.set("n3w#value"), LineChange.keep());

        PosixFileAttributes after = Files.readAttributes(file, PosixFileAttributes.class);
        assertThat(Files.readString(file)).isEqualTo("# app\nJWT_SECRET='n3w#value'\n");
        assertThat(after.fileKey()).as("replaced, not edited in place").isNotEqualTo(inode);
        assertThat(after.owner()).isEqualTo(nobody);
        assertThat(after.group()).isEqualTo(daemon);
        assertThat(PosixFilePermissions.toString(after.permissions())).isEqualTo("rw-r-----");
        assertThat(names(dir)).containsExactly(".env");
    }

    @Test
    void aModeWithoutOwnerWriteIsKeptToo() throws Exception {
        Path file = Files.writeString(dir.resolve(".env"), "JWT_SECRET=old\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("r--r-----"));

        target(file).write(LineChange.set("new"), LineChange.keep());

        assertThat(Files.readString(file)).isEqualTo("JWT_SECRET=new\n");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("r--r-----");
    }

    @Test
    void aRelativeSymbolicLinkIsWrittenThroughAndStaysALink() throws Exception {
        Path real = Files.createDirectory(dir.resolve("real"));
        Path realFile = Files.writeString(real.resolve(".env"), "JWT_SECRET=old\nOTHER=1\n");
        Files.setPosixFilePermissions(realFile, PosixFilePermissions.fromString("rw-r-----"));
        Path link = Files.createSymbolicLink(dir.resolve(".env"), Path.of("real/.env"));

        target(link).write(LineChange.set("new value"), LineChange.keep());

        assertThat(Files.isSymbolicLink(link)).isTrue();
        assertThat(Files.readSymbolicLink(link)).isEqualTo(Path.of("real/.env"));
        assertThat(Files.readString(realFile)).isEqualTo("JWT_SECRET='new value'\nOTHER=1\n");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(realFile))).isEqualTo("rw-r-----");
        assertThat(target(link).currentValue()).contains("new value");
        assertThat(names(real)).as("the temp file lived beside the real file").containsExactly(".env");
        assertThat(names(dir)).containsExactlyInAnyOrder("real", ".env");
    }

    @Test
    void aChainOfLinksEndingInAnAbsoluteOneIsFollowedToTheFile() throws Exception {
        Path realFile = Files.writeString(Files.createDirectory(dir.resolve("real")).resolve("app.env"),
                "JWT_SECRET=old\n");
        Path absolute = Files.createSymbolicLink(dir.resolve("abs.env"), realFile.toAbsolutePath());
        Path link = Files.createSymbolicLink(dir.resolve(".env"), Path.of("abs.env"));

        target(link).write(LineChange.set("new"), LineChange.keep());

        assertThat(Files.isSymbolicLink(link)).isTrue();
        assertThat(Files.isSymbolicLink(absolute)).isTrue();
        assertThat(Files.readString(realFile)).isEqualTo("JWT_SECRET=new\n");
    }

    @Test
    void aLoopOfLinksIsRefusedForGoodAndADanglingOneIsNamed() throws Exception {
        Path a = Files.createSymbolicLink(dir.resolve("a.env"), Path.of("b.env"));
        Files.createSymbolicLink(dir.resolve("b.env"), Path.of("a.env"));
        assertThatThrownBy(() -> target(a).write(LineChange.set("x"), LineChange.keep()))
                .isInstanceOfSatisfying(TargetException.class, e -> assertThat(e.retryable()).isFalse())
                .hasMessageStartingWith("cannot read env file " + a + ": Too many levels of symbolic links");
        Path dangling = Files.createSymbolicLink(dir.resolve(".env"), Path.of("gone/.env"));
        assertThatThrownBy(() -> target(dangling).currentValue())
                .hasMessage("env file " + dangling + " does not exist");
        assertThat(Files.isSymbolicLink(dangling)).isTrue();
    }

    @Test
    void aNewFileIsOwnerOnly() throws Exception {
        Path fresh = dir.resolve("sub/new.env");
        AtomicFiles.rewrite(fresh, "A=1\n".getBytes(StandardCharsets.UTF_8));
        assertThat(Files.readString(fresh)).isEqualTo("A=1\n");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(fresh))).isEqualTo("rw-------");

        Path keystore = dir.resolve("keystore");
        Files.writeString(keystore, "old");
        Files.setPosixFilePermissions(keystore, PosixFilePermissions.fromString("rw-r--r--"));
        AtomicFiles.write(keystore, "new".getBytes(StandardCharsets.UTF_8), AtomicFiles.OWNER_ONLY);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(keystore))).isEqualTo("rw-------");
    }
}
