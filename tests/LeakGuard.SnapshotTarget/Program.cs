namespace LeakGuard.SnapshotTarget;

internal static class Program
{
    private static async Task<int> Main(string[] args)
    {
        var mode = args.Length > 0 ? args[0] : "spike";
        switch (mode)
        {
            case "ipc-disabled":
                return await IpcDisabled.RunAsync();
            case "measure":
                return await Measure.RunAsync(
                    long.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture),
                    args.Length > 2 ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 3);
            case "synthetic":
                return Synthetic.Run(int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture));
            case "spike":
                return await Spike.RunAsync();
            default:
                Console.Error.WriteLine("unknown mode " + mode);
                return 2;
        }
    }
}
