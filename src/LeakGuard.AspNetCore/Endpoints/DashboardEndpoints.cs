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

        var group = endpoints.MapGroup(pattern);

        // "" answers both {pattern} and {pattern}/: routing ignores one trailing slash.
        Add(group.MapGet("", Guard(state, PageEndpoint.Handle)), "LeakGuard dashboard");
        Add(group.MapGet("/api/status", Guard(state, StatusEndpoint.Handle)), "LeakGuard status");
        Add(group.MapGet("/api/series", Guard(state, SeriesEndpoint.Handle)), "LeakGuard series");
        Add(group.MapGet("/api/reports", Guard(state, ReportsEndpoint.HandleList)), "LeakGuard reports");
        Add(group.MapGet("/api/reports/{id}", Guard(state, ReportsEndpoint.HandleOne)), "LeakGuard report");
        Add(group.MapPost("/api/investigate", Guard(state, InvestigateEndpoint.Handle)), "LeakGuard investigate");
        return group;
    }

    private static void Add(IEndpointConventionBuilder builder, string name) => builder.WithDisplayName(name).ExcludeFromDescription();

    private static RequestDelegate Guard(DashboardState state, Func<HttpContext, DashboardState, Task> handler) =>
        context =>
        {
            var refusal = Security.ClientAccessPolicy.Check(context, state.Options);
            if (refusal is not null)
            {
                DashboardLog.ClientRefused(state.Logger, context.Connection.RemoteIpAddress, refusal);
                return ApiResponse.ErrorAsync(context, StatusCodes.Status403Forbidden, refusal, parameter: null);
            }

            SetCommonHeaders(context.Response);
            return handler(context, state);
        };

    private static void SetCommonHeaders(HttpResponse response)
    {
        response.Headers.CacheControl = "no-store";
        response.Headers.XContentTypeOptions = "nosniff";
        response.Headers["Referrer-Policy"] = "no-referrer";
    }
}
