using System.Net;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;

namespace LeakGuard.AspNetCore.Security;

/// <summary>
/// Secure by default, as dotnet-monitor is: while the mapping carries no authorization, only loopback clients
/// that name a loopback host are answered. Naming the host guards against DNS rebinding, where a web page
/// on another site resolves its own name to 127.0.0.1 and reads the dashboard from the user's browser.
/// </summary>
internal static class ClientAccessPolicy
{
    /// <summary>The message for refused clients: how to open the dashboard.</summary>
    public const string RemoteRefusedMessage =
        "The LeakGuard dashboard answers loopback clients only while no authorization is attached to its mapping. " +
        "Open it with app.MapLeakGuard(\"/leakguard\").RequireAuthorization(...) or, on a trusted network, " +
        "app.MapLeakGuard(\"/leakguard\", o => o.AllowRemote = true).";

    /// <summary>The message for POST requests from another origin.</summary>
    public const string CrossOriginMessage = "The LeakGuard API refuses POST requests from another origin.";

    /// <summary>Decides whether the request may be answered.</summary>
    /// <param name="context">The request.</param>
    /// <param name="options">The mapping's options.</param>
    /// <returns><see langword="null"/> to answer, otherwise the reason for a 403.</returns>
    public static string? Check(HttpContext context, LeakGuardDashboardOptions options)
    {
        if (HttpMethods.IsPost(context.Request.Method) && !IsSameOrigin(context.Request))
        {
            return CrossOriginMessage;
        }

        if (options.AllowRemote || HasAuthorization(context.GetEndpoint()))
        {
            return null;
        }

        return IsLoopbackClient(context) ? null : RemoteRefusedMessage;
    }

    /// <summary>Returns whether authorization metadata is attached to the endpoint (and not overridden by AllowAnonymous).</summary>
    /// <param name="endpoint">The endpoint.</param>
    /// <returns><see langword="true"/> when the authorization middleware guards the endpoint.</returns>
    public static bool HasAuthorization(Endpoint? endpoint)
    {
        if (endpoint is null || endpoint.Metadata.GetMetadata<IAllowAnonymous>() is not null)
        {
            return false;
        }

        return endpoint.Metadata.GetMetadata<IAuthorizeData>() is not null
            || endpoint.Metadata.GetMetadata<AuthorizationPolicy>() is not null
            || endpoint.Metadata.GetMetadata<IAuthorizationRequirementData>() is not null;
    }

    /// <summary>Returns whether the client connects over loopback, directly, and names a loopback host.</summary>
    /// <param name="context">The request.</param>
    /// <returns><see langword="true"/> for a local client.</returns>
    public static bool IsLoopbackClient(HttpContext context)
    {
        var remote = context.Connection.RemoteIpAddress;

        // No IP address: a Unix socket, a named pipe or an in-process test server; all are local.
        if (remote is not null && !IPAddress.IsLoopback(remote.IsIPv4MappedToIPv6 ? remote.MapToIPv4() : remote))
        {
            return false;
        }

        // A proxy on the same host forwards remote clients from a loopback address; UseForwardedHeaders
        // replaces the address and consumes these headers, so their presence means an unprocessed forward.
        var headers = context.Request.Headers;
        if (headers.ContainsKey("X-Forwarded-For") || headers.ContainsKey("Forwarded"))
        {
            return false;
        }

        // No Host header at all (HTTP/1.0, raw tools) cannot come from a browser, so it cannot be DNS rebinding.
        return !context.Request.Host.HasValue || IsLoopbackHost(context.Request.Host.Host);
    }

    /// <summary>Returns whether a Host header names this machine's loopback interface.</summary>
    /// <param name="host">The host without port.</param>
    /// <returns><see langword="true"/> for localhost, *.localhost (with or without the trailing dot) and loopback addresses.</returns>
    public static bool IsLoopbackHost(string? host)
    {
        if (string.IsNullOrEmpty(host))
        {
            return false;
        }

        // "localhost." is the same name written fully qualified.
        if (host.EndsWith('.'))
        {
            host = host[..^1];
        }

        if (host.Equals("localhost", StringComparison.OrdinalIgnoreCase)
            || host.EndsWith(".localhost", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        var literal = host.StartsWith('[') && host.EndsWith(']') ? host[1..^1] : host;
        return IPAddress.TryParse(literal, out var address) && IPAddress.IsLoopback(address);
    }

    private static bool IsSameOrigin(HttpRequest request)
    {
        var origin = request.Headers.Origin.ToString();
        if (origin.Length == 0)
        {
            // Browsers send Origin with every POST; tools such as curl do not, and are not a CSRF vector.
            return true;
        }

        return Uri.TryCreate(origin, UriKind.Absolute, out var uri)
            && string.Equals(uri.Authority, request.Host.Value, StringComparison.OrdinalIgnoreCase);
    }
}
