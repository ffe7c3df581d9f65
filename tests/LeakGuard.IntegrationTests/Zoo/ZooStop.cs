namespace LeakGuard.IntegrationTests.Zoo;

/// <summary>How a test asks a zoo child to stop.</summary>
internal enum ZooStop
{
    /// <summary>Send SIGTERM, as a container runtime does.</summary>
    SigTerm,

    /// <summary>Close the child's stdin, as a parent process that goes away does.</summary>
    CloseStdin,
}
