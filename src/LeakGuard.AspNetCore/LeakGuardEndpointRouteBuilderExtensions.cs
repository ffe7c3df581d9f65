using LeakGuard;
using LeakGuard.AspNetCore;
using LeakGuard.AspNetCore.Endpoints;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Microsoft.AspNetCore.Builder;

/// <summary>Maps the LeakGuard dashboard and its JSON API.</summary>
public static class LeakGuardEndpointRouteBuilderExtensions
{
    /// <summary>
    /// Maps the LeakGuard dashboard page at <paramref name="pattern"/> and its JSON API under <c>{pattern}/api</c>.
    /// While no authorization is attached to the returned builder, only loopback clients are answered;
    /// chain <c>.RequireAuthorization(...)</c> or set <see cref="LeakGuardDashboardOptions.AllowRemote"/> to open it.
    /// </summary>
    /// <param name="endpoints">The endpoint route builder (usually the <c>WebApplication</c>).</param>
    /// <param name="pattern">The route prefix.</param>
    /// <param name="configure">Configures the mapping, or <see langword="null"/> for the defaults.</param>
    /// <returns>A builder for conventions (authorization, host filters, rate limiting) applied to every LeakGuard endpoint.</returns>
    /// <exception cref="InvalidOperationException"><c>AddLeakGuard()</c> was not called on the services.</exception>
    public static IEndpointConventionBuilder MapLeakGuard(
        this IEndpointRouteBuilder endpoints,
        string pattern = "/leakguard",
        Action<LeakGuardDashboardOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentNullException.ThrowIfNull(pattern);

        if (endpoints.ServiceProvider.GetService<IServiceProviderIsService>() is { } isService
            && !isService.IsService(typeof(ILeakMonitor)))
        {
            throw new InvalidOperationException(
                "MapLeakGuard needs the LeakGuard monitor: call builder.Services.AddLeakGuard() before building the application.");
        }

        var options = new LeakGuardDashboardOptions();
        configure?.Invoke(options);
        if (options.RefreshInterval <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(configure), options.RefreshInterval, "RefreshInterval must be positive.");
        }

        return DashboardEndpoints.Map(endpoints, pattern, options);
    }
}
