namespace LeakGuard.AspNetCore.Json;

/// <summary>The body of every 4xx/5xx answer.</summary>
internal sealed class ErrorResponse
{
    /// <summary>Gets the message.</summary>
    public required string Error { get; init; }

    /// <summary>Gets the name of the offending query or route parameter, or <see langword="null"/>.</summary>
    public string? Parameter { get; init; }

    /// <summary>Gets the seconds after which to retry, for 429 answers.</summary>
    public double? RetryAfterSeconds { get; init; }
}
