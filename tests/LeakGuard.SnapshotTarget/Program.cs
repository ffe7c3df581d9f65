using LeakGuard.Investigation;

namespace LeakGuard.SnapshotTarget;

internal static class Program
{
    private static async Task<int> Main(string[] args)
    {
        var mode = args.Length > 0 ? args[0] : "spike";
        switch (mode)
        {
            case "spike":
                return await Spike.RunAsync();
            default:
                Console.Error.WriteLine("unknown mode " + mode);
                return 2;
        }
    }
}
