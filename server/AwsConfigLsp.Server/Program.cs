using AwsConfigLsp.Server.Cli;
using AwsConfigLsp.Server.Protocol;

namespace AwsConfigLsp.Server;

public static class Program
{
    public static async Task<int> Main(string[] args)
    {
        if (args.Length == 0 || args is ["--stdio"])
        {
            return await LanguageServerHost.RunStdioAsync();
        }
        switch (args[0])
        {
            case "check":
            case "resolve":
                try
                {
                    return CliApp.Run(args[0], args[1..], Console.Out, Console.Error);
                }
                catch (Exception exception) when (exception is not OutOfMemoryException)
                {
                    // A bug must still end with a message and exit code 2, not a .NET crash dump. Only the type is
                    // printed: a message could quote file content.
                    Console.Error.WriteLine($"error: awsconfig-lsp {args[0]} failed ({exception.GetType().Name}). Please report this.");
                    return 2;
                }
            case "--help":
            case "-h":
            case "help":
                Console.Out.WriteLine(CliApp.Usage);
                return 0;
            case "--version":
                Console.Out.WriteLine(typeof(Program).Assembly.GetName().Version?.ToString(3) ?? "0.1.0");
                Console.Out.WriteLine(RuntimeReport.Describe());
                Console.Out.WriteLine(CommittedMemory.Describe());
                return 0;
            default:
                Console.Error.WriteLine($"error: unknown command '{args[0]}'.");
                Console.Error.WriteLine(CliApp.Usage);
                return 2;
        }
    }
}
