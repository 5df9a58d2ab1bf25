package io.fabricstitch.agent.net;

/**
 * Told when peers come and go. Called on the network's event-loop thread: implementations must return quickly and
 * never block (hand longer work to an executor, and do not call {@link AgentNetwork#close()} or
 * {@link AgentNetwork#start()} from here), or beacons, pings and pongs wait behind them. An exception thrown by a
 * listener is logged and otherwise ignored.
 */
public interface PeerListener {
    /** {@code peer} was heard for the first time, or again after it was lost. */
    void onPeerHeard(Peer peer);

    /** {@code peer}, as last heard, was silent for the peer timeout and was removed with its latency. */
    void onPeerLost(Peer peer);
}
