using System.Globalization;
using Shop.Bench.Load;
using Spectre.Console;

namespace Shop.Bench.Reporting;

/// <summary>
/// Shows a run's <see cref="LiveStatus"/> while it works: a live panel on a terminal, or a plain line every
/// five seconds when the output is redirected (CI logs, files).
/// </summary>
public static class ProgressView
{
    private const int BarWidth = 50;

    public static async Task<T> ShowAsync<T>(LiveStatus status, Func<Task<T>> work)
    {
        if (AnsiConsole.Profile.Capabilities.Interactive)
        {
            return await AnsiConsole.Live(Render(status)).AutoClear(true).StartAsync(async context =>
            {
                var task = work();
                while (!task.IsCompleted)
                {
                    context.UpdateTarget(Render(status));
                    await Task.WhenAny(task, Task.Delay(250));
                }

                return await task;
            });
        }

        var running = work();
        while (!running.IsCompleted)
        {
            await Task.WhenAny(running, Task.Delay(TimeSpan.FromSeconds(5)));
            if (!running.IsCompleted)
            {
                Console.WriteLine(Line(status));
            }
        }

        return await running;
    }

    private static Panel Render(LiveStatus status)
    {
        var fraction = status.Total == 0 ? 0 : (double)status.Done / status.Total;
        var rate = status.Elapsed.TotalSeconds > 0 ? status.Done / status.Elapsed.TotalSeconds : 0;
        var grid = new Grid().AddColumn().AddColumn();
        grid.AddRow(new Markup($"[bold]{Markup.Escape(status.Title)}[/]"), new Markup(Markup.Escape(status.Phase)));
        var filled = (int)Math.Round(fraction * BarWidth);
        grid.AddRow(new Text("progress"), new Markup($"[green]{new string('━', filled)}[/][grey23]{new string('━', BarWidth - filled)}[/]"));
        grid.AddRow(new Text(""), new Text(string.Create(CultureInfo.InvariantCulture,
            $"{status.Done:N0} / {status.Total:N0}   {rate:N0}/s   {status.Elapsed:mm\\:ss}")));
        if (status.CountsOutcomes)
        {
            grid.AddRow(new Text("outcomes"), new Markup(string.Create(CultureInfo.InvariantCulture,
                $"[green]{status.Successes:N0} sold[/]   [yellow]{status.SoldOut:N0} sold out[/]   [red]{status.Errors:N0} errors[/]")));
        }

        return new Panel(grid).Border(BoxBorder.Rounded);
    }

    private static string Line(LiveStatus status)
    {
        // A phase without a count (the wait for quiet processes) shows only how long it has lasted.
        var count = status.Total == 0 ? "" : string.Create(CultureInfo.InvariantCulture, $" {status.Done:N0}/{status.Total:N0}");
        var line = string.Create(CultureInfo.InvariantCulture, $"  {status.Title}: {status.Phase}{count} ({status.Elapsed.TotalSeconds:F0} s)");
        return status.CountsOutcomes
            ? line + string.Create(CultureInfo.InvariantCulture, $", sold {status.Successes:N0}, sold out {status.SoldOut:N0}, errors {status.Errors:N0}")
            : line;
    }
}
