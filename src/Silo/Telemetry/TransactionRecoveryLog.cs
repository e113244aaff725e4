using System.Collections;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Reflection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Shop.Silo.Telemetry;

/// <summary>
/// Writes Orleans' transaction recovery to the log at warning level: a participant still asking its
/// transaction manager about a transaction prepared long ago, a grain's transactional state restored with
/// prepared or committed-but-unconfirmed transactions in it, a prepare that timed out, a queue aborted and
/// restored after a storage failure, a cancel that could not be sent. Orleans raises these as diagnostic
/// events (listener <c>Orleans.Transactions</c>) and logs little of them above trace level, so after a
/// silo crash an operator (or a failing test) could not tell which transaction held a grain up, or why.
/// Each event is written with its fields, read by reflection: the event types are Orleans' internals.
/// </summary>
public sealed partial class TransactionRecoveryLog(ILogger<TransactionRecoveryLog> logger)
    : IHostedService, IObserver<DiagnosticListener>, IObserver<KeyValuePair<string, object?>>
{
    private const string ListenerName = "Orleans.Transactions";

    /// <summary>A ping about a transaction prepared longer ago than this means it is stuck, not slow.</summary>
    private static readonly TimeSpan StuckAfter = TimeSpan.FromSeconds(10);

    private static readonly HashSet<string> Logged =
    [
        "RemoteRecoveryPingSent", "QueueRestoreCompleted", "QueueRestoreFailed", "PrepareTimedOut", "AbortAndRestoreStarted",
        "DeactivationRequested", "StorageConflictDetected", "CancelSendFailed", "CancelFanOutFailed", "ReadyWaitFailed",
    ];

    private static readonly ConcurrentDictionary<Type, MemberInfo[]> Members = new();

    // When each stuck transaction's ping was last written (participant and transaction): a participant
    // pings every 2 s, so only every 20th second of a wait is written.
    private readonly ConcurrentDictionary<(string Resource, object Transaction), DateTime> pingsWritten = new();

    private readonly List<IDisposable> subscriptions = [];

    public Task StartAsync(CancellationToken cancellationToken)
    {
        lock (subscriptions)
        {
            subscriptions.Add(DiagnosticListener.AllListeners.Subscribe(this));
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        lock (subscriptions)
        {
            subscriptions.ForEach(s => s.Dispose());
            subscriptions.Clear();
        }

        return Task.CompletedTask;
    }

    void IObserver<DiagnosticListener>.OnNext(DiagnosticListener listener)
    {
        if (listener.Name == ListenerName)
        {
            lock (subscriptions)
            {
                subscriptions.Add(listener.Subscribe(this, (name, _, _) => Logged.Contains(name)));
            }
        }
    }

    void IObserver<KeyValuePair<string, object?>>.OnNext(KeyValuePair<string, object?> value)
    {
        if (value.Value is not { } payload || !Worth(value.Key, payload))
        {
            return;
        }

        var fields = Members.GetOrAdd(payload.GetType(), type =>
            [.. type.GetFields(BindingFlags.Public | BindingFlags.Instance), .. type.GetProperties(BindingFlags.Public | BindingFlags.Instance)]);
        LogRecoveryEvent(logger, value.Key, string.Join(", ", fields.Select(f => $"{f.Name}={Show(Read(f, payload))}")));
    }

    void IObserver<DiagnosticListener>.OnCompleted()
    {
    }

    void IObserver<DiagnosticListener>.OnError(Exception error)
    {
    }

    void IObserver<KeyValuePair<string, object?>>.OnCompleted()
    {
    }

    void IObserver<KeyValuePair<string, object?>>.OnError(Exception error)
    {
    }

    /// <summary>
    /// Every restore is an event; only one that found transactions to finish is recovery. A ping is routine
    /// until it is old, and then written once in a while.
    /// </summary>
    private bool Worth(string name, object payload) => name switch
    {
        "QueueRestoreCompleted" => Number(payload, "RecoveredPendingCount") > 0 || Number(payload, "RecoveredCommitCount") > 0,
        "RemoteRecoveryPingSent" => Read(payload, "TimeStamp") is DateTime prepared && Read(payload, "SentAt") is DateTime sent
            && sent - prepared > StuckAfter && FirstInAWhile(payload),
        _ => true,
    };

    private bool FirstInAWhile(object payload)
    {
        var now = DateTime.UtcNow;
        var key = (Read(payload, "Resource")?.ToString() ?? "", Read(payload, "TransactionId") ?? "");
        if (pingsWritten.TryGetValue(key, out var written) && now - written < TimeSpan.FromSeconds(20))
        {
            return false;
        }

        if (pingsWritten.Count > 10_000)
        {
            pingsWritten.Clear();
        }

        pingsWritten[key] = now;
        return true;
    }

    private static long Number(object payload, string name) => Read(payload, name) switch
    {
        int value => value,
        long value => value,
        _ => 0,
    };

    private static object? Read(object payload, string name) =>
        payload.GetType().GetField(name, BindingFlags.Public | BindingFlags.Instance) is { } field ? field.GetValue(payload) : null;

    private static object? Read(MemberInfo member, object payload) => member switch
    {
        FieldInfo field => field.GetValue(payload),
        PropertyInfo property => property.GetValue(payload),
        _ => null,
    };

    private static string Show(object? value) => value switch
    {
        null => "-",
        DateTime time => time.ToString("HH:mm:ss.fff", System.Globalization.CultureInfo.InvariantCulture),
        string text => text,
        IEnumerable items => $"[{string.Join(" ", items.Cast<object?>().Take(5).Select(Show))}{(items.Cast<object?>().Skip(5).Any() ? " ..." : "")}]",
        _ => value.ToString() ?? "-",
    };

    [LoggerMessage(Level = LogLevel.Warning, Message = "Transaction recovery: {Event} {Fields}")]
    private static partial void LogRecoveryEvent(ILogger logger, string @event, string fields);
}
