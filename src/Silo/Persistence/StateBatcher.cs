using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Npgsql;
using NpgsqlTypes;

namespace Shop.Silo.Persistence;

/// <summary>
/// A row of <c>shop_transactional_state</c> to write; <c>ExpectedEtag</c> null means it must not exist yet.
/// With a <c>Record</c>, the whole record is written (and its metadata with it); with only <c>Metadata</c>,
/// the row keeps its record and gets that metadata (an update only: a new row needs its record).
/// </summary>
public sealed record StateWrite(string StateName, string GrainId, long? ExpectedEtag, long Etag, byte[]? Record, byte[]? Metadata = null)
{
    public static StateWrite OfMetadata(string stateName, string grainId, long expectedEtag, long etag, byte[] metadata) =>
        new(stateName, grainId, expectedEtag, etag, Record: null, metadata);
}

/// <summary>A row as read: null when the grain has no stored state. <c>Metadata</c>, when set, replaces the record's own.</summary>
public sealed record StateRow(long Etag, byte[] Record, byte[]? Metadata = null);

/// <summary>
/// Group commit for transactional state: the reads and writes that grains of this silo issue at the
/// same moment go to PostgreSQL together, as one statement and one commit. Nothing waits to fill a
/// batch: a write is sent at once when a connection is free, and whatever arrives while statements are
/// running goes out in the next one. Under a flash sale this turns thousands of single-row round trips
/// and commits per second into a few hundred batched ones.
/// </summary>
public sealed partial class StateBatcher : IAsyncDisposable
{
    private const int MaxBatch = 512;

    private readonly NpgsqlDataSource dataSource;
    private readonly string serviceId;
    private readonly ILogger logger;
    private readonly Channel<Pending<StateWrite, bool>> writes = Channel.CreateUnbounded<Pending<StateWrite, bool>>(new() { SingleReader = false });
    private readonly Channel<Pending<(string State, string Grain), StateRow?>> reads = Channel.CreateUnbounded<Pending<(string, string), StateRow?>>(new() { SingleReader = false });
    private readonly Task[] workers;
    private readonly CancellationTokenSource stopping = new();

    public StateBatcher(NpgsqlDataSource dataSource, string serviceId, int concurrency, ILogger<StateBatcher> logger)
    {
        this.dataSource = dataSource;
        this.serviceId = serviceId;
        this.logger = logger;
        workers =
        [
            .. Enumerable.Range(0, concurrency).Select(_ => Task.Run(WriteLoopAsync)),
            .. Enumerable.Range(0, Math.Max(1, concurrency / 2)).Select(_ => Task.Run(ReadLoopAsync)),
        ];
    }

    /// <summary>Writes the row if its etag is still <see cref="StateWrite.ExpectedEtag"/>; false when another write got there first.</summary>
    public Task<bool> WriteAsync(StateWrite write) => Enqueue(writes, write);

    public Task<StateRow?> ReadAsync(string stateName, string grainId) => Enqueue(reads, (stateName, grainId));

    public async ValueTask DisposeAsync()
    {
        writes.Writer.TryComplete();
        reads.Writer.TryComplete();
        await stopping.CancelAsync();
        await Task.WhenAll(workers).WaitAsync(TimeSpan.FromSeconds(10)).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        stopping.Dispose();
    }

    private static Task<TResult> Enqueue<TRequest, TResult>(Channel<Pending<TRequest, TResult>> channel, TRequest request)
    {
        var pending = new Pending<TRequest, TResult>(request);
        if (!channel.Writer.TryWrite(pending))
        {
            throw new ObjectDisposedException(nameof(StateBatcher), "The silo is stopping.");
        }

        return pending.Completion.Task;
    }

    private async Task WriteLoopAsync()
    {
        var batch = new List<Pending<StateWrite, bool>>(MaxBatch);
        while (await Take(writes, batch))
        {
            if (batch.Count == 0)
            {
                continue;
            }

            foreach (var statement in OneWritePerRow(batch))
            {
                try
                {
                    var written = await WriteBatchAsync([.. statement.Select(p => p.Request)]);
                    foreach (var pending in statement)
                    {
                        pending.Completion.TrySetResult(written.Contains((pending.Request.StateName, pending.Request.GrainId)));
                    }
                }
                catch (Exception exception)
                {
                    LogBatchFailed(logger, exception, "write", statement.Count);
                    statement.ForEach(p => p.Completion.TrySetException(exception));
                }
            }
        }
    }

    /// <summary>
    /// Splits a batch so that no statement writes a row twice, keeping each row's writes in arrival order.
    /// </summary>
    /// <remarks>
    /// Two writes of one row at once come from two activations of a grain (one still deactivating, its
    /// write queued here while the other loaded the row), both expecting the same etag. In one statement,
    /// the UPDATE joins the row to both, applies one of them and names the row once in RETURNING, and
    /// both writers would be told they succeeded: one grain's committed state silently lost (the INSERT's
    /// ON CONFLICT DO NOTHING alike). In statements of their own, the second write's etag check fails, as
    /// it must, and its grain reloads.
    /// </remarks>
    private List<List<Pending<StateWrite, bool>>> OneWritePerRow(List<Pending<StateWrite, bool>> batch)
    {
        var statements = new List<(HashSet<(string, string)> Rows, List<Pending<StateWrite, bool>> Writes)>();
        foreach (var pending in batch)
        {
            var row = (pending.Request.StateName, pending.Request.GrainId);
            var statement = statements.FirstOrDefault(s => !s.Rows.Contains(row));
            if (statement.Writes is null)
            {
                if (statements.Count > 0)
                {
                    LogSameRowTwice(logger, pending.Request.StateName, pending.Request.GrainId);
                }

                statement = ([], []);
                statements.Add(statement);
            }

            statement.Rows.Add(row);
            statement.Writes.Add(pending);
        }

        return [.. statements.Select(s => s.Writes)];
    }

    private async Task ReadLoopAsync()
    {
        var batch = new List<Pending<(string State, string Grain), StateRow?>>(MaxBatch);
        while (await Take(reads, batch))
        {
            if (batch.Count == 0)
            {
                continue;
            }

            try
            {
                var rows = await ReadBatchAsync([.. batch.Select(p => p.Request).Distinct()]);
                foreach (var pending in batch)
                {
                    pending.Completion.TrySetResult(rows.GetValueOrDefault(pending.Request));
                }
            }
            catch (Exception exception)
            {
                LogBatchFailed(logger, exception, "read", batch.Count);
                batch.ForEach(p => p.Completion.TrySetException(exception));
            }
        }
    }

    /// <summary>Waits for requests, then takes whatever is queued (up to a batch; none if another worker was quicker).</summary>
    private async Task<bool> Take<TRequest, TResult>(Channel<Pending<TRequest, TResult>> channel, List<Pending<TRequest, TResult>> batch)
    {
        batch.Clear();
        try
        {
            if (!await channel.Reader.WaitToReadAsync(stopping.Token))
            {
                return false;
            }
        }
        catch (OperationCanceledException)
        {
            return false;
        }

        while (batch.Count < MaxBatch && channel.Reader.TryRead(out var pending))
        {
            batch.Add(pending);
        }

        return true;
    }

    private async Task<HashSet<(string, string)>> WriteBatchAsync(StateWrite[] batch)
    {
        // Each row is found by its primary key, one index probe per written row (LATERAL ... LIMIT 1, then
        // by ctid). A plain UPDATE ... FROM the input let the planner hash-join it against every row of
        // the service whenever its statistics lagged a growing table: a flash sale's buyers' carts are
        // created minutes before it, so each batched write scanned all of them (22 of its 28 ms).
        // A row changed by another statement in between has a new ctid: not written, as a stale etag.
        await using var command = dataSource.CreateCommand("""
            WITH input AS (
                SELECT * FROM unnest(@states, @grains, @expected, @etags, @records, @metadata) AS t(state_name, grain_id, expected, etag, record, metadata)),
            found AS (
                SELECT f.row_id, i.* FROM input i CROSS JOIN LATERAL (
                    SELECT x.ctid AS row_id FROM shop_transactional_state x
                    WHERE x.service_id = @service AND x.state_name = i.state_name AND x.grain_id = i.grain_id AND x.etag = i.expected
                    LIMIT 1) f
                WHERE i.expected IS NOT NULL),
            updated AS (
                UPDATE shop_transactional_state s
                SET etag = f.etag, record = COALESCE(f.record, s.record), metadata = f.metadata, modified_at = now()
                FROM found f
                WHERE s.ctid = f.row_id AND s.etag = f.expected
                RETURNING s.state_name, s.grain_id),
            inserted AS (
                INSERT INTO shop_transactional_state (service_id, state_name, grain_id, etag, record, metadata)
                SELECT @service, state_name, grain_id, etag, record, metadata FROM input WHERE expected IS NULL AND record IS NOT NULL
                ON CONFLICT DO NOTHING
                RETURNING state_name, grain_id)
            SELECT state_name, grain_id FROM updated UNION ALL SELECT state_name, grain_id FROM inserted
            """);
        command.Parameters.Add(new NpgsqlParameter("service", serviceId));
        command.Parameters.Add(new NpgsqlParameter("states", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = batch.Select(w => w.StateName).ToArray() });
        command.Parameters.Add(new NpgsqlParameter("grains", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = batch.Select(w => w.GrainId).ToArray() });
        command.Parameters.Add(new NpgsqlParameter("expected", NpgsqlDbType.Array | NpgsqlDbType.Bigint) { Value = batch.Select(w => w.ExpectedEtag).ToArray() });
        command.Parameters.Add(new NpgsqlParameter("etags", NpgsqlDbType.Array | NpgsqlDbType.Bigint) { Value = batch.Select(w => w.Etag).ToArray() });
        command.Parameters.Add(new NpgsqlParameter("records", NpgsqlDbType.Array | NpgsqlDbType.Bytea) { Value = batch.Select(w => w.Record).ToArray() });
        command.Parameters.Add(new NpgsqlParameter("metadata", NpgsqlDbType.Array | NpgsqlDbType.Bytea) { Value = batch.Select(w => w.Metadata).ToArray() });
        var written = new HashSet<(string, string)>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            written.Add((reader.GetString(0), reader.GetString(1)));
        }

        return written;
    }

    private async Task<Dictionary<(string, string), StateRow>> ReadBatchAsync((string State, string Grain)[] keys)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT s.state_name, s.grain_id, s.etag, s.record, s.metadata
            FROM unnest(@states, @grains) AS k(state_name, grain_id) CROSS JOIN LATERAL (
                SELECT x.state_name, x.grain_id, x.etag, x.record, x.metadata FROM shop_transactional_state x
                WHERE x.service_id = @service AND x.state_name = k.state_name AND x.grain_id = k.grain_id
                LIMIT 1) s
            """);
        command.Parameters.Add(new NpgsqlParameter("service", serviceId));
        command.Parameters.Add(new NpgsqlParameter("states", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = keys.Select(k => k.State).ToArray() });
        command.Parameters.Add(new NpgsqlParameter("grains", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = keys.Select(k => k.Grain).ToArray() });
        var rows = new Dictionary<(string, string), StateRow>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            rows[(reader.GetString(0), reader.GetString(1))] = new StateRow(
                reader.GetInt64(2), (byte[])reader.GetValue(3), reader.IsDBNull(4) ? null : (byte[])reader.GetValue(4));
        }

        return rows;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Two writes of state {StateName} of {GrainId} at once (two activations?): the later goes in a statement of its own")]
    private static partial void LogSameRowTwice(ILogger logger, string stateName, string grainId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A batched state {Operation} of {Count} rows failed")]
    private static partial void LogBatchFailed(ILogger logger, Exception exception, string operation, int count);

    private sealed class Pending<TRequest, TResult>(TRequest request)
    {
        public TRequest Request { get; } = request;

        public TaskCompletionSource<TResult> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
