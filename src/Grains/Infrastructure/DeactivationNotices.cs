using System.Diagnostics;
using Orleans.Runtime.Diagnostics;

namespace Shop.Grains;

/// <summary>A grain that wants to know when Orleans starts deactivating it, not only when it finishes.</summary>
public interface IDeactivationAware
{
    /// <summary>Runs on the grain's own scheduler, once deactivation has begun.</summary>
    void OnDeactivating(DeactivationReason reason);
}

/// <summary>
/// Tells <see cref="IDeactivationAware"/> grains that their deactivation began. Orleans calls
/// <c>OnDeactivateAsync</c> only once every running request has finished, and holds the messages that
/// arrive in between; a reentrant grain whose requests wait for work that needs such messages (a product's
/// grain: its buyers wait for batches whose transactions it manages) would otherwise keep its callers
/// until their calls time out. Orleans raises the start of a deactivation as a diagnostic event
/// (<see cref="GrainLifecycleEvents"/>); this listens for that one event only, once per process.
/// </summary>
public static class DeactivationNotices
{
    private static readonly Lazy<IDisposable> Subscription = new(() => DiagnosticListener.AllListeners.Subscribe(new Listeners()));

    /// <summary>Starts listening, if nothing in this process has yet.</summary>
    public static void Watch() => _ = Subscription.Value;

    private sealed class Listeners : IObserver<DiagnosticListener>
    {
        public void OnNext(DiagnosticListener listener)
        {
            if (listener.Name == GrainLifecycleEvents.ListenerName)
            {
                listener.Subscribe(new Events(), (name, _, _) => name == nameof(GrainLifecycleEvents.Deactivating));
            }
        }

        public void OnCompleted()
        {
        }

        public void OnError(Exception error)
        {
        }
    }

    private sealed class Events : IObserver<KeyValuePair<string, object?>>
    {
        public void OnNext(KeyValuePair<string, object?> value)
        {
            if (value.Value is GrainLifecycleEvents.Deactivating { GrainContext: { GrainInstance: IDeactivationAware grain } context } deactivating)
            {
                context.Scheduler.QueueAction(() => grain.OnDeactivating(deactivating.Reason));
            }
        }

        public void OnCompleted()
        {
        }

        public void OnError(Exception error)
        {
        }
    }
}
