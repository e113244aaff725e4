using System.Runtime.InteropServices;
using Shop.Bench.Infrastructure;
using Shop.Bench.Running;
using Spectre.Console;

BenchOptions options;
try
{
    options = BenchOptions.Parse(args);
}
catch (BenchSetupException e)
{
    AnsiConsole.MarkupLine($"[red]{Markup.Escape(e.Message)}[/]");
    return 2;
}

if (!AnsiConsole.Profile.Capabilities.Interactive)
{
    // Redirected output (a log file, CI) would be laid out at 80 columns: the result tables need more.
    AnsiConsole.Profile.Width = Math.Max(AnsiConsole.Profile.Width, 180);
}

if (options.Help)
{
    Console.WriteLine(BenchOptions.Usage);
    return 0;
}

// Ctrl+C and SIGTERM cancel the run; the servers and processes it started are stopped on the way out.
using var cancellation = new CancellationTokenSource();
using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Cancel);
using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Cancel);
try
{
    return await BenchSession.RunAsync(options, cancellation.Token);
}
catch (BenchSetupException e)
{
    AnsiConsole.MarkupLine($"[red]{Markup.Escape(e.Message)}[/]");
    return 2;
}
catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
{
    AnsiConsole.MarkupLine("[yellow]interrupted: the servers were stopped and the temporary directory removed.[/]");
    return 130;
}

void Cancel(PosixSignalContext context)
{
    context.Cancel = true;
    cancellation.Cancel();
}
