using LeakGuard.AspNetCore.Page;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace LeakGuard.AspNetCore.Endpoints;

/// <summary>Creates the route group of one <c>MapLeakGuard</c> call: the page and the JSON API.</summary>
internal static class DashboardEndpoints
{
    /// <summary>Maps the endpoints.</summary>
    /// <param name="endpoints">The route builder.</param>
    /// <param name="pattern">The route prefix.</param>
    /// <param name="options">The mapping's options.</param>
    /// <returns>The group, so conventions apply to every endpoint.</returns>
    public static IEndpointConventionBuilder Map(IEndpointRouteBuilder endpoints, string pattern, LeakGuardDashboardOptions options)
    {
        var services = endpoints.ServiceProvider;
        var state = new DashboardState(
            options,
            services.GetService<TimeProvider>() ?? TimeProvider.System,
            (services.GetService<ILoggerFactory>() ?? NullLoggerFactory.Instance).CreateLogger("LeakGuard.AspNetCore.Dashboard"),
            DashboardPage.Load(options.RefreshInterval),
            services.GetService<IHostApplicationLifetime>()?.ApplicationStopping ?? CancellationToken.None);

        // Verdict changes are kept from now on (the monitor keeps only each signal's current verdict): chart markers for each.
        if (services.GetService<ILeakMonitor>() is { } monitor)
        {
            try
            {
                var history = Series.VerdictHistory.Attach(monitor.VerdictChanges);
                state.Stopping.Register(history.Dispose);
                state.History = history;
            }
#pragma warning disable CA1031 // A monitor that cannot stream its changes (a user's own ILeakMonitor) still gets a dashboard: markers of the latest change only.
            catch (Exception)
#pragma warning restore CA1031
            {
                state.History = null;
            }
        }

        var group = endpoints.MapGroup(pattern);

        // "" answers both {pattern} and {pattern}/: routing ignores one trailing slash.
        Add(group, state, "", [HttpMethods.Get, HttpMethods.Head], PageEndpoint.Handle, "LeakGuard dashboard");
        Add(group, state, "/api/status", [HttpMethods.Get], StatusEndpoint.Handle, "LeakGuard status");
        Add(group, state, "/api/series", [HttpMethods.Get], SeriesEndpoint.Handle, "LeakGuard series");
        Add(group, state, "/api/reports", [HttpMethods.Get], ReportsEndpoint.HandleList, "LeakGuard reports");
        Add(group, state, "/api/reports/{id}", [HttpMethods.Get], ReportsEndpoint.HandleOne, "LeakGuard report");
        Add(group, state, "/api/investigate", [HttpMethods.Post], InvestigateEndpoint.Handle, "LeakGuard investigate");
        return group;
    }

    // Each route also gets a catch-all of a later order for the other methods: routing's own 405 would carry none
    // of the headers promised for every answer.
    private static void Add(RouteGroupBuilder group, DashboardState state, string route, string[] methods, Func<HttpContext, DashboardState, Task> handler, string name)
    {
        group.MapMethods(route, methods, Guard(state, handler)).WithDisplayName(name).ExcludeFromDescription();
        var allow = string.Join(", ", methods);
        group.Map(route, Guard(state, (context, _) => MethodNotAllowedAsync(context, allow)))
            .WithOrder(1)
            .WithDisplayName(name + " (other methods)")
            .ExcludeFromDescription();
    }

    private static Task MethodNotAllowedAsync(HttpContext context, string allow)
    {
        context.Response.Headers.Allow = allow;
        return ApiResponse.ErrorAsync(context, StatusCodes.Status405MethodNotAllowed, $"This address answers {allow} only.", parameter: null);
    }

    private static RequestDelegate Guard(DashboardState state, Func<HttpContext, DashboardState, Task> handler) =>
        context =>
        {
            // Every answer, refusals included, is uncacheable and unsniffable.
            SetCommonHeaders(context.Response);
            if (Security.ClientAccessPolicy.Check(context, state.Options) is { } refusal)
            {
                DashboardLog.ClientRefused(state.Logger, context.Connection.RemoteIpAddress, refusal);
                return ApiResponse.ErrorAsync(context, StatusCodes.Status403Forbidden, refusal, parameter: null);
            }

            return handler(context, state);
        };

    private static void SetCommonHeaders(HttpResponse response)
    {
        response.Headers.CacheControl = "no-store";
        response.Headers.XContentTypeOptions = "nosniff";
        response.Headers["Referrer-Policy"] = "no-referrer";
    }
}
