using LeakGuard;
using LeakGuard.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds LeakGuard to an application's services.</summary>
public static class LeakGuardServiceCollectionExtensions
{
    /// <summary>
    /// Adds LeakGuard, bound to the configuration section <c>LeakGuard</c> (so <c>LeakGuard__SampleInterval=00:00:01</c>
    /// in the environment works). Options are validated when the host starts. Safe to call more than once.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <returns>The services, for chaining.</returns>
    public static IServiceCollection AddLeakGuard(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        BindDefaultSection(AddCore(services));
        return services;
    }

    /// <summary>Adds LeakGuard, bound to the configuration section <c>LeakGuard</c>, then configured by <paramref name="configure"/>.</summary>
    /// <param name="services">The services.</param>
    /// <param name="configure">Changes the options after binding.</param>
    /// <returns>The services, for chaining.</returns>
    public static IServiceCollection AddLeakGuard(this IServiceCollection services, Action<LeakGuardOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);
        BindDefaultSection(AddCore(services)).Configure(configure);
        return services;
    }

    /// <summary>Adds LeakGuard, bound to the given configuration section instead of <c>LeakGuard</c>.</summary>
    /// <param name="services">The services.</param>
    /// <param name="section">The section holding LeakGuard's keys.</param>
    /// <returns>The services, for chaining.</returns>
    public static IServiceCollection AddLeakGuard(this IServiceCollection services, IConfiguration section)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(section);
        AddCore(services).Bind(section);
        return services;
    }

    // Unlike BindConfiguration, tolerate a container without IConfiguration (a bare ServiceCollection): defaults apply.
    private static OptionsBuilder<LeakGuardOptions> BindDefaultSection(OptionsBuilder<LeakGuardOptions> builder) =>
        builder.Configure<IServiceProvider>(static (options, provider) =>
            provider.GetService<IConfiguration>()?.GetSection(LeakGuardOptions.SectionName).Bind(options));

    /// <summary>Registers the monitor once, however often LeakGuard is added.</summary>
    /// <param name="services">The services.</param>
    /// <returns>The options builder.</returns>
    internal static OptionsBuilder<LeakGuardOptions> AddCore(IServiceCollection services)
    {
        var builder = services.AddOptionsWithValidateOnStart<LeakGuardOptions, LeakGuardOptionsValidator>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<LeakGuardOptions>, LeakGuardOptionsRulesValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(MonitorComponents.Default);
        services.TryAddSingleton(static sp => new LeakMonitor(
            sp.GetRequiredService<IOptions<LeakGuardOptions>>().Value,
            sp.GetRequiredService<MonitorComponents>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetService<ILoggerFactory>(),
            sp.GetService<System.Diagnostics.Metrics.IMeterFactory>(),
            sp.GetService<IHostApplicationLifetime>()));
        services.TryAddSingleton<ILeakMonitor>(static sp => sp.GetRequiredService<LeakMonitor>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, LeakMonitorHostedService>());
        return builder;
    }
}
