using Microsoft.Extensions.DependencyInjection;

namespace LeakGuard.LeakZoo.Hosting;

/// <summary>The one line a user writes — LeakGuard is configured only through the host's configuration.</summary>
internal static class LeakGuardWiring
{
    public static void AddTo(IServiceCollection services)
    {
        services.AddLeakGuard();
    }
}
