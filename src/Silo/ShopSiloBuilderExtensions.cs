using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Configuration;
using Shop.Grains;
using Shop.Silo.Clustering;
using Shop.Silo.Persistence;
using Shop.Silo.Telemetry;

namespace Shop.Silo;

public static class ShopSiloBuilderExtensions
{
    /// <summary>
    /// Everything a Shop silo needs except its clustering: grain storage, transactions and the grains'
    /// services, chosen by configuration (section <c>Shop</c>) so that the grains never change with them.
    /// </summary>
    public static ISiloBuilder AddShop(this ISiloBuilder silo, IConfiguration configuration)
    {
        silo.Services.AddGrainInterfaceTypeCache();
        var options = ShopHostingOptions.From(configuration);
        switch (options.Storage)
        {
            case StorageKind.Memory:
                silo.AddMemoryGrainStorage(ShopStorage.State);
                silo.AddMemoryGrainStorage(ShopStorage.Transactions);
                break;
            case StorageKind.Postgres:
                silo.AddShopPostgres(ShopHostingOptions.ConnectionString(configuration, "Postgres"));
                break;
            default:
                throw new InvalidOperationException($"Unsupported Shop:Storage '{options.Storage}'.");
        }

        if (options.GrainDirectory == GrainDirectoryKind.Distributed)
        {
            // Orleans' default directory is eventually consistent: after a silo crash, a grain whose entry
            // lived in the dead silo's part of the directory can be activated a second time while its first
            // activation still runs. Two activations of a transaction participant each hold their own queue
            // of prepared transactions, and a manager's cancel can reach the one that is not asked (the
            // durable silo-kill test: an outbox lane held a prepared batch for minutes, its manager's cancels
            // to the lane's other activation timing out). This directory rebuilds a dead silo's part from
            // the silos still running, so a grain has one activation throughout.
#pragma warning disable ORLEANSEXP003
            silo.AddDistributedGrainDirectory();
#pragma warning restore ORLEANSEXP003
        }

        silo.UseTransactions();
        // Orleans' transactional state schedules a wake-up (a timer in one shared list that the runtime
        // scans every 50 ms) for every lock entry and prepared record, due after these intervals; timers
        // are not removed until due. With the defaults (8 s, 20 s, 60 s) a sale keeps tens of thousands
        // pending and the scanning took a quarter of the silo's CPU (perf, bench spread). Shorter
        // intervals keep the list short; they only matter for transactions already far too slow (a batch
        // holds a cart's lock for about 100 ms, and a ping only asks after the outcome). Lock deadline and
        // ping at 2 s instead of 3 and 5 s sold somewhat faster; at 1 s, or the prepare timeout at 2 s, the
        // scan did not shrink further (docs/benchmarks-log.md), so what remains of it is something else.
        silo.Services.AddOptions<TransactionalStateOptions>()
            .Configure(state =>
            {
                state.LockTimeout = TimeSpan.FromSeconds(2);
                state.PrepareTimeout = TimeSpan.FromSeconds(5);
                state.RemoteTransactionPingFrequency = TimeSpan.FromSeconds(2);
                state.LockAcquireTimeout = TimeSpan.FromSeconds(5);
                // A commit whose confirmation could not reach a participant (its silo crashed) is sent
                // again after this delay; until then the participant's reactivation holds the prepared
                // record and every later write to it aborts on the prepare timeout. Orleans waits 30 s,
                // longer than a request retries (CI: a cancel answered 503 after a silo was killed).
                state.ConfirmationRetryDelay = TimeSpan.FromSeconds(3);
            })
            .Bind(configuration.GetSection("Shop:Transactions:State"));
        // Trace context flows with every grain call, so a checkout is one trace from the API to the storage.
        silo.AddActivityPropagation();
        // Orleans' transaction recovery (a participant still waiting on a manager, a state restored with
        // transactions to finish) is otherwise visible at trace level only.
        silo.Services.AddHostedService<TransactionRecoveryLog>();
        // A grain call that has not answered in 15 s is stuck (a transaction waits at most 10 s for a
        // lock); failing it lets the transaction abort and the request end in bounded time.
        silo.Configure<SiloMessagingOptions>(messaging => messaging.ResponseTimeout = TimeSpan.FromSeconds(15));
        silo.AddOutgoingGrainCallFilter<DomainExceptionCallFilter>();
        silo.Services.AddShopGrains(configuration).AddShopExceptionSerialization();
        return silo;
    }

    /// <summary>How the silo finds the rest of the cluster, and where others find it (section <c>Shop</c>).</summary>
    public static ISiloBuilder UseShopClustering(this ISiloBuilder silo, IConfiguration configuration)
    {
        var options = ShopHostingOptions.From(configuration);
        switch (options.Clustering)
        {
            case ClusteringKind.Localhost:
                silo.UseLocalhostClustering(options.SiloPort, options.GatewayPort, serviceId: options.ServiceId, clusterId: options.ClusterId);
                break;
            case ClusteringKind.Redis:
                silo.UseShopRedisClustering(ShopHostingOptions.ConnectionString(configuration, "Redis"));
                silo.Configure<ClusterOptions>(cluster =>
                {
                    cluster.ClusterId = options.ClusterId;
                    cluster.ServiceId = options.ServiceId;
                });
                silo.Configure<EndpointOptions>(endpoints =>
                {
                    endpoints.SiloPort = options.SiloPort;
                    endpoints.GatewayPort = options.GatewayPort;
                    endpoints.AdvertisedIPAddress = options.AdvertisedAddress ?? endpoints.AdvertisedIPAddress;
                });
                break;
            default:
                throw new InvalidOperationException($"Unsupported Shop:Clustering '{options.Clustering}'.");
        }

        return silo;
    }
}
