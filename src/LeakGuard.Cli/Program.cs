using LeakGuard.Cli;

return LeakGuardCommand.Invoke(args, Console.Out, Console.Error);
