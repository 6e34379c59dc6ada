package dev.rotor.sync.steps;

import dev.rotor.contracts.messages.Direction;
import dev.rotor.contracts.messages.Step;
import dev.rotor.local.PrometheusSamples;
import io.restassured.RestAssured;

/** This service's {@code /q/metrics}, and the samples the step tests assert. */
final class Scrape {
    final String text;

    /** Scrapes the management interface at {@code management}. */
    Scrape(java.net.URI management) {
        text = RestAssured.get(management.resolve("/q/metrics")).then().statusCode(200).extract().asString();
    }

    /** {@code rotor_step_executions_total} of one secret's step, 0 before its first execution. */
    double executions(String secret, Step step, Direction direction, String outcome) {
        return PrometheusSamples.valueOrZero(text, "rotor_step_executions_total", "secret=\"" + secret + "\"",
                "step=\"" + step + "\"", "direction=\"" + direction + "\"", "outcome=\"" + outcome + "\"");
    }

    /** {@code rotor_dead_lettered_records_total} of a dead-letter topic, 0 before anything was dead-lettered. */
    double deadLettered(String topic) {
        return PrometheusSamples.valueOrZero(text, "rotor_dead_lettered_records_total", "topic=\"" + topic + "\"");
    }
}
