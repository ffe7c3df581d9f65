using System.CommandLine;

namespace LeakGuard.Cli;

/// <summary>The <c>leakguard</c> root command; each subcommand lives in its own file and is added here in one line.</summary>
internal static class LeakGuardCommand
{
    /// <summary>Builds the root command with every subcommand.</summary>
    /// <returns>The root command.</returns>
    public static RootCommand Create()
    {
        var root = new RootCommand("LeakGuard: replay recorded memory series through the leak detector and read LeakGuard reports.");
        root.Subcommands.Add(AnalyzeCommand.Create());
        return root;
    }
}
