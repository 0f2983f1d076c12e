namespace AwsConfigLsp.FakeAws;

/// <summary>Console entry: <c>AwsConfigLsp.FakeAws --scenario FILE.json</c> (see <see cref="Scenario"/>).</summary>
internal static class FakeAwsProgram
{
    public static async Task<int> Main(string[] args)
    {
        var index = Array.IndexOf(args, "--scenario");
        Scenario scenario;
        try
        {
            scenario = index >= 0 && index + 1 < args.Length ? Scenario.Load(File.ReadAllText(args[index + 1])) : Scenario.Load("{}");
        }
        catch (Exception e) when (e is IOException or System.Text.Json.JsonException or FormatException or ArgumentException or KeyNotFoundException or InvalidOperationException)
        {
            await Console.Error.WriteLineAsync($"fake-aws: cannot load the scenario: {e.Message}");
            return 2;
        }
        await using var server = FakeAwsServer.Start();
        try
        {
            scenario.Apply(server);
        }
        catch (Exception e) when (e is ArgumentException or FormatException)
        {
            await Console.Error.WriteLineAsync($"fake-aws: bad scenario: {e.Message}");
            return 2;
        }
        Console.Out.WriteLine(Scenario.EndpointsJson(server));
        Console.Out.Flush();

        var stop = new TaskCompletionSource();
        using var sigterm = System.Runtime.InteropServices.PosixSignalRegistration.Create(System.Runtime.InteropServices.PosixSignal.SIGTERM, context =>
        {
            context.Cancel = true;
            stop.TrySetResult();
        });
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            stop.TrySetResult();
        };
        _ = Task.Run(async () =>
        {
            using var stdin = Console.OpenStandardInput();
            var buffer = new byte[256];
            while (await stdin.ReadAsync(buffer) > 0) { }
            stop.TrySetResult();
        });
        await stop.Task;
        return 0;
    }
}
