System.Console.WriteLine("LeakGuard");
