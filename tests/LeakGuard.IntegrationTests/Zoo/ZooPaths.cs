namespace LeakGuard.IntegrationTests.Zoo;

/// <summary>Where the built leak zoo is: next to the tests, in the same build configuration.</summary>
internal static class ZooPaths
{
    public static string RepositoryRoot { get; } = IntegrationTests.RepositoryRoot.Find();

    public static string Configuration => BuildConfiguration.Name;

    public static string ZooDll => Path.Combine(RepositoryRoot, "tests", "LeakGuard.LeakZoo", "bin", Configuration, "net10.0", "LeakGuard.LeakZoo.dll");

    /// <summary>The dotnet host that runs the tests (the CLI exports it), else the one on PATH.</summary>
    public static string DotnetHost
    {
        get
        {
            var host = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH");
            if (!string.IsNullOrEmpty(host) && File.Exists(host))
            {
                return host;
            }

            var self = Environment.ProcessPath;
            return self is not null && Path.GetFileNameWithoutExtension(self) == "dotnet" ? self : "dotnet";
        }
    }
}
