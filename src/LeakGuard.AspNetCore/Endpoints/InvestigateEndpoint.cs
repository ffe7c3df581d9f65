using System.Globalization;
using LeakGuard.AspNetCore.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace LeakGuard.AspNetCore.Endpoints;

/// <summary>
/// <c>POST {prefix}/api/investigate</c>: starts an investigation in the background (202), one at a time (409), never
/// when snapshots cannot be taken (409 with the reason: LeakGuard disabled, snapshots off, diagnostics IPC disabled),
/// never inside the snapshot cooldown (429 with Retry-After), because each snapshot pauses the application.
/// </summary>
internal static class InvestigateEndpoint
{
    /// <summary>Answers the request.</summary>
    /// <param name="context">The request.</param>
    /// <param name="state">The mapping's state.</param>
    /// <returns>A task that completes when the answer is written (not when the investigation ends).</returns>
    public static Task Handle(HttpContext context, DashboardState state)
    {
        var monitor = context.RequestServices.GetRequiredService<ILeakMonitor>();
        var snapshots = monitor.Options.Snapshots;
        if (StatusEndpoint.SnapshotsUnavailable(monitor) is { } unavailable)
        {
            return ApiResponse.ErrorAsync(context, StatusCodes.Status409Conflict, unavailable, parameter: null);
        }

        if (monitor.IsInvestigating || state.Gate.IsRunning)
        {
            return Conflict(context);
        }

        var now = state.TimeProvider.GetUtcNow();
        if (state.Gate.CooldownEnd(monitor.SnapshotCooldownEndsAt, snapshots.Cooldown) is { } end && end > now)
        {
            var seconds = Math.Max(1, (long)Math.Ceiling((end - now).TotalSeconds));
            context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
            return ApiResponse.ErrorAsync(
                context,
                StatusCodes.Status429TooManyRequests,
                $"The snapshot cooldown (LeakGuard:Snapshots:Cooldown) runs until {end:O}: each snapshot pauses the application.",
                parameter: null,
                retryAfterSeconds: seconds);
        }

        if (!state.Gate.TryEnter(now))
        {
            return Conflict(context);
        }

        DashboardLog.InvestigationRequested(state.Logger, context.Connection.RemoteIpAddress);
        _ = RunAsync(monitor, state);

        var body = new InvestigationResponse
        {
            Status = "started",
            StartedAt = now,
            SnapshotDelaySeconds = snapshots.Delay.TotalSeconds,
            Reports = $"{context.Request.PathBase}{context.Request.Path.Value?[..^"/investigate".Length]}/reports",
        };
        return ApiResponse.JsonAsync(context, StatusCodes.Status202Accepted, body, DashboardJsonContext.Default.InvestigationResponse);
    }

    private static Task Conflict(HttpContext context) =>
        ApiResponse.ErrorAsync(context, StatusCodes.Status409Conflict, "An investigation is already running; its report appears in api/reports.", parameter: null);

    private static async Task RunAsync(ILeakMonitor monitor, DashboardState state)
    {
        // Runs after the response: the investigation takes Snapshots:Delay, far longer than a request should.
        await Task.Yield();
        try
        {
            var report = await monitor.InvestigateAsync(state.Stopping).ConfigureAwait(false);
            DashboardLog.InvestigationFinished(state.Logger, report is not null);
        }
        catch (OperationCanceledException) when (state.Stopping.IsCancellationRequested)
        {
            // The application is stopping.
        }
#pragma warning disable CA1031 // Never throw into the host: a failed investigation is logged, the dashboard goes on.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            DashboardLog.InvestigationFailed(state.Logger, exception);
        }
        finally
        {
            state.Gate.Exit();
        }
    }
}
