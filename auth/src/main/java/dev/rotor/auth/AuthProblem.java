package dev.rotor.auth;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.ws.rs.core.Response;

/**
 * An RFC 9457 problem for a refused request ({@code application/problem+json}), in the same shape as every other
 * Rotor error. Details name what is missing (a token, a role, a media type), never the token itself.
 */
public record AuthProblem(String type, String title, int status, String detail, String instance) {
    public static final String MEDIA_TYPE = "application/problem+json";
    private static final ObjectMapper JSON = new ObjectMapper();

    public static AuthProblem of(int status, String slug, String title, String detail, String instance) {
        return new AuthProblem("urn:rotor:problem:" + slug, title, status, detail, instance);
    }

    /** The response, with this problem as its body; add headers on the returned builder. */
    public Response.ResponseBuilder response() {
        String body;
        try {
            body = JSON.writeValueAsString(this);
        } catch (JsonProcessingException e) {
            body = "{\"title\":\"" + title + "\",\"status\":" + status + "}";
        }
        return Response.status(status).type(MEDIA_TYPE).entity(body);
    }
}
