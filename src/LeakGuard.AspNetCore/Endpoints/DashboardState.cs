using LeakGuard.AspNetCore.Page;
using Microsoft.Extensions.Logging;

namespace LeakGuard.AspNetCore.Endpoints;

/// <summary>What the endpoints of one mapping share: options, clock, logger, the investigation gate and the page.</summary>
internal sealed class DashboardState
{
    /// <summary>Initializes a new instance of the <see cref="DashboardState"/> class.</summary>
    /// <param name="options">The mapping's options.</param>
    /// <param name="timeProvider">The clock.</param>
    /// <param name="logger">The logger.</param>
    /// <param name="page">The dashboard page.</param>
    /// <param name="stopping">Signalled when the application stops; cancels a running investigation.</param>
    public DashboardState(LeakGuardDashboardOptions options, TimeProvider timeProvider, ILogger logger, DashboardPage page, CancellationToken stopping)
    {
        Options = options;
        TimeProvider = timeProvider;
        Logger = logger;
        Stopping = stopping;
        Page = page;
        Gate = new InvestigationGate();
    }

    /// <summary>Gets the mapping's options.</summary>
    public LeakGuardDashboardOptions Options { get; }

    /// <summary>Gets the clock.</summary>
    public TimeProvider TimeProvider { get; }

    /// <summary>Gets the logger.</summary>
    public ILogger Logger { get; }

    /// <summary>Gets the token signalled when the application stops.</summary>
    public CancellationToken Stopping { get; }

    /// <summary>Gets the dashboard page.</summary>
    public DashboardPage Page { get; }

    /// <summary>Gets the gate that lets one investigation run at a time.</summary>
    public InvestigationGate Gate { get; }

    /// <summary>Gets or sets the verdict changes recorded since the mapping, or <see langword="null"/> without a monitor then.</summary>
    public Series.VerdictHistory? History { get; set; }
}
