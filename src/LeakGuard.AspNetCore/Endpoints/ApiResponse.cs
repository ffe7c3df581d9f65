using System.Text.Json.Serialization.Metadata;
using LeakGuard.AspNetCore.Json;
using Microsoft.AspNetCore.Http;

namespace LeakGuard.AspNetCore.Endpoints;

/// <summary>Writes JSON answers with the source-generated serializer.</summary>
internal static class ApiResponse
{
    /// <summary>Writes a JSON body.</summary>
    /// <typeparam name="T">The body type.</typeparam>
    /// <param name="context">The request.</param>
    /// <param name="statusCode">The status code.</param>
    /// <param name="value">The body.</param>
    /// <param name="typeInfo">The generated type information.</param>
    /// <returns>A task that completes when the body is written.</returns>
    public static Task JsonAsync<T>(HttpContext context, int statusCode, T value, JsonTypeInfo<T> typeInfo)
    {
        context.Response.StatusCode = statusCode;
        return context.Response.WriteAsJsonAsync(value, typeInfo, contentType: "application/json; charset=utf-8", context.RequestAborted);
    }

    /// <summary>Writes an error body.</summary>
    /// <param name="context">The request.</param>
    /// <param name="statusCode">The status code.</param>
    /// <param name="message">What went wrong and how to fix it.</param>
    /// <param name="parameter">The offending parameter, or <see langword="null"/>.</param>
    /// <param name="retryAfterSeconds">For 429: seconds until a retry can succeed.</param>
    /// <returns>A task that completes when the body is written.</returns>
    public static Task ErrorAsync(HttpContext context, int statusCode, string message, string? parameter, double? retryAfterSeconds = null) =>
        JsonAsync(
            context,
            statusCode,
            new ErrorResponse { Error = message, Parameter = parameter, RetryAfterSeconds = retryAfterSeconds },
            DashboardJsonContext.Default.ErrorResponse);
}
