package dev.rotor.manifests;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import org.junit.jupiter.api.Test;

/** The services' Jib settings that the manifests rely on, and that a plain build makes no image. */
class ImageConfigTest {

    @Test
    void eachServiceNamesItsImageAndUserAndBuildsNoImageUnlessAsked() throws Exception {
        for (String service : Services.NAMES) {
            ServiceConfig config = Services.config(service);
            assertThat(config.image()).isEqualTo("rotor/" + service);
            assertThat(config.imageUser()).as("the base image's unprivileged user").isEqualTo(185L);
            assertThat(config.properties().stringPropertyNames()).as(service)
                    .noneMatch(k -> k.endsWith("quarkus.container-image.build")
                            || k.endsWith("quarkus.container-image.push"));
            assertThat(Files.readString(Repo.path(service + "/pom.xml")))
                    .contains("<artifactId>quarkus-container-image-jib</artifactId>");
        }
    }
}
