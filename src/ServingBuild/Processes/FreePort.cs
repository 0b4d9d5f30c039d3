using System.Net;
using System.Net.Sockets;

namespace ServingBuild.Processes;

/// <summary>A TCP port nothing listens on right now, for a server the toolkit (or a test) is about to start.</summary>
public static class FreePort
{
    public static int Pick()
    {
        using var listener = new TcpListener(IPAddress.Any, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
