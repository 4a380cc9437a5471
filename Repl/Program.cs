System.Console.WriteLine("biolang");
