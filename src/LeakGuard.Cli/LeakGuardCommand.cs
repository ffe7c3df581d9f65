using System.CommandLine;

namespace LeakGuard.Cli;

/// <summary>The <c>leakguard</c> root command; each subcommand lives in its own file and is added here in one line.</summary>
internal static class LeakGuardCommand
{
    /// <summary>The tool's command name, as installed (<c>ToolCommandName</c>) and as usage and help show it.</summary>
    public const string Name = "leakguard";

    /// <summary>The exit code of a failure inside the tool itself (a bug: please report it).</summary>
    public const int InternalError = 3;

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

    /// <summary>
    /// Runs the tool: every problem is one line on <paramref name="error"/> (no help dump after a bad option, no stack
    /// trace) and control characters from the input are escaped in everything written.
    /// </summary>
    /// <param name="args">The command line.</param>
    /// <param name="output">Standard output.</param>
    /// <param name="error">Standard error.</param>
    /// <returns>The exit code: 0, 1 bad input, 2 leak (<c>analyze</c>), 3 internal error.</returns>
    public static int Invoke(string[] args, TextWriter output, TextWriter error)
    {
        var parse = Create().Parse(args);
        var terminalError = new TerminalWriter(error);
        if (parse.Errors.Count > 0)
        {
            // The first problem, in one line; the help that System.CommandLine would print buries it.
            var message = string.Join(' ', parse.Errors[0].Message.Split([' ', '\t', '\r', '\n'], StringSplitOptions.RemoveEmptyEntries));
            terminalError.WriteLine($"error: {message.TrimEnd('.')} (see leakguard --help).");
            return AnalyzeCommand.BadInput;
        }

        try
        {
            return parse.Invoke(new InvocationConfiguration
            {
                Output = new TerminalWriter(output),
                Error = terminalError,
                EnableDefaultExceptionHandler = false,
            });
        }
#pragma warning disable CA1031 // The last line of defence: a user sees one line, never a stack trace.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            terminalError.WriteLine($"error: internal error ({ex.GetType().Name}: {ex.Message.ReplaceLineEndings(" ")}); please report it.");
            return InternalError;
        }
    }
}
