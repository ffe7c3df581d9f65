using System.CommandLine;

namespace LeakGuard.Cli;

/// <summary>The <c>leakguard</c> root command; each subcommand lives in its own file and is added here in one line.</summary>
internal static class LeakGuardCommand
{
    /// <summary>The tool's command name, as installed (<c>ToolCommandName</c>) and as usage and help show it.</summary>
    public const string Name = "leakguard";

    /// <summary>Builds the root command with every subcommand.</summary>
    /// <returns>The root command.</returns>
    public static Command Create()
    {
        // A RootCommand would take the assembly's file name (LeakGuard.Cli) for its usage line; the tool is run as leakguard.
        var root = new Command(Name, "LeakGuard: replay recorded memory series through the leak detector and read LeakGuard reports.")
        {
            new System.CommandLine.Help.HelpOption(),
            new VersionOption(),
        };
        root.Subcommands.Add(AnalyzeCommand.Create());
        root.Subcommands.Add(Commands.ReportCommand.Create());
        return root;
    }
}
