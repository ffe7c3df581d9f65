using LeakGuard.Cli;

return LeakGuardCommand.Create().Parse(args).Invoke();
