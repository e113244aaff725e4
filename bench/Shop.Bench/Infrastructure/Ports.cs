using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace Shop.Bench.Infrastructure;

public static class Ports
{
    private const int ChosenPortsStart = 15000;

    private static readonly ConcurrentDictionary<int, bool> HandedOut = new();

    /// <summary>
    /// A TCP port on 127.0.0.1 that nothing listens on right now, below the kernel's ephemeral range: a
    /// port the kernel hands out for "any port" comes from the range every outgoing connection draws
    /// from, so one of the load generator's own connections could take it before a server binds it.
    /// Never the same port twice in one run.
    /// </summary>
    public static int Free()
    {
        var below = EphemeralPortsStart();
        for (var attempt = 0; attempt < 200; attempt++)
        {
            var port = Random.Shared.Next(ChosenPortsStart, below);
            if (!HandedOut.TryAdd(port, true))
            {
                continue;
            }

            try
            {
                using var listener = new TcpListener(IPAddress.Loopback, port);
                listener.Start();
                return port;
            }
            catch (SocketException)
            {
                // Someone listens there: another one.
            }
        }

        throw new InvalidOperationException($"No free port between {ChosenPortsStart} and {below}.");
    }

    private static int EphemeralPortsStart()
    {
        // Linux: "32768\t60999"; elsewhere, the IANA range's start.
        const string range = "/proc/sys/net/ipv4/ip_local_port_range";
        return File.Exists(range) && int.TryParse(File.ReadAllText(range).Split((char[])['\t', ' '], StringSplitOptions.RemoveEmptyEntries)[0], out var start) && start > ChosenPortsStart + 1000
            ? start
            : 49152;
    }
}
