namespace LeakGuard.IntegrationTests;

/// <summary>The configuration the tests were built in, so child programs run from the same build.</summary>
internal static class BuildConfiguration
{
#if DEBUG
    public const string Name = "Debug";
#else
    public const string Name = "Release";
#endif
}
