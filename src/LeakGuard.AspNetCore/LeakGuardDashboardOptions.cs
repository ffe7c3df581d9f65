namespace LeakGuard.AspNetCore;

/// <summary>Settings of one <c>MapLeakGuard</c> mapping (the dashboard page and its JSON API).</summary>
public sealed class LeakGuardDashboardOptions
{
    /// <summary>
    /// Gets or sets a value indicating whether clients on other machines may use the dashboard although no
    /// authorization is attached to the mapping. Prefer <c>.RequireAuthorization(...)</c>: the page shows
    /// type names of the application, and "Investigate now" pauses it.
    /// </summary>
    /// <value>The default value is <see langword="false"/> (loopback clients only, unless authorization is attached).</value>
    public bool AllowRemote { get; set; }

    /// <summary>Gets or sets how often the page refreshes its data.</summary>
    /// <value>The default value is 5 seconds.</value>
    public TimeSpan RefreshInterval { get; set; } = TimeSpan.FromSeconds(5);
}
