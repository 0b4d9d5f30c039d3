using System.Net;
using System.Net.Sockets;

namespace ServingBuild.Processes;

/// <summary>
/// A TCP port nothing listens on right now, for a server the toolkit (or a test) is about to start on loopback.
/// The one picker: the client's tests compile this file in too.
/// </summary>
public static class FreePort
{
    public static int Pick()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
