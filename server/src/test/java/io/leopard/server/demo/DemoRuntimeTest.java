package io.leopard.server.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DemoRuntimeTest {
    @TempDir
    Path dir;

    @Test
    void aRunningDemoIsFoundUntilItsNoteIsRemoved() throws Exception {
        assertThat(DemoRuntime.find(dir)).isEmpty();
        DemoRuntime written = DemoRuntime.write(dir, "http://127.0.0.1:18080");
        assertThat(DemoRuntime.find(dir)).hasValueSatisfying(found -> {
            assertThat(found.pid()).isEqualTo(ProcessHandle.current().pid());
            assertThat(found.url()).isEqualTo("http://127.0.0.1:18080");
        });
        assertThat(Files.readString(dir.resolve(DemoRuntime.FILE))).contains("data-dir=" + dir.toAbsolutePath());
        written.delete();
        assertThat(dir.resolve(DemoRuntime.FILE)).doesNotExist();
        assertThat(DemoRuntime.find(dir)).isEmpty();
        written.delete(); // twice is fine: both the demo's exit and a test may remove it
    }

    @Test
    void theNoteOfADemoThatIsGoneIsIgnored() throws Exception {
        Process finished = new ProcessBuilder("true").start();
        assertThat(finished.waitFor(10, TimeUnit.SECONDS)).isTrue();
        Files.writeString(dir.resolve(DemoRuntime.FILE), "pid=" + finished.pid() + "\nurl=http://127.0.0.1:1\n");
        assertThat(DemoRuntime.find(dir)).as("its process has ended").isEmpty();
    }

    @Test
    void aLiveProcessThatStartedAtAnotherTimeIsNotTheDemo() throws Exception {
        // a pid reused after the demo was killed: same number, another process
        Files.writeString(dir.resolve(DemoRuntime.FILE), "pid=" + ProcessHandle.current().pid()
                + "\nstarted=2001-01-01T00\\:00\\:00Z\nurl=http://127.0.0.1:1\n");
        assertThat(DemoRuntime.find(dir)).isEmpty();
    }

    @Test
    void aNoteThatIsNotOneIsIgnored() throws Exception {
        Files.writeString(dir.resolve(DemoRuntime.FILE), "pid=twelve\n");
        assertThat(DemoRuntime.find(dir)).isEmpty();
        Files.writeString(dir.resolve(DemoRuntime.FILE), "pid=1\nstarted=yesterday\n");
        assertThat(DemoRuntime.find(dir)).isEmpty();
    }
}
