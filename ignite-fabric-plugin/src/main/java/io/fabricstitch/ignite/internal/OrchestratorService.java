package io.fabricstitch.ignite.internal;

import io.fabricstitch.agent.datapath.TransferGrant;
import io.fabricstitch.ignite.FabricMapSchema;
import io.fabricstitch.ignite.FabricPluginConfiguration;
import io.fabricstitch.ignite.placement.CandidateTable;
import io.fabricstitch.ignite.compute.CostWeights;
import io.fabricstitch.ignite.compute.DataPath;
import io.fabricstitch.ignite.placement.DataPathSelector;
import io.fabricstitch.ignite.compute.FabricOrchestrator;
import io.fabricstitch.ignite.placement.FabricSelector;
import io.fabricstitch.ignite.compute.HeldPlacement;
import io.fabricstitch.ignite.compute.PlaceRequest;
import io.fabricstitch.ignite.compute.Placement;
import io.fabricstitch.ignite.compute.PlacementReply;
import io.fabricstitch.ignite.placement.Selection;
import io.fabricstitch.ignite.compute.TaskOutcome;
import io.fabricstitch.ignite.compute.TaskRequest;
import io.fabricstitch.model.FabricEntry;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.ignite.Ignite;
import org.apache.ignite.IgniteLogger;
import org.apache.ignite.cluster.ClusterNode;
import org.apache.ignite.events.DiscoveryEvent;
import org.apache.ignite.events.Event;
import org.apache.ignite.events.EventType;
import org.apache.ignite.lang.IgnitePredicate;
import org.apache.ignite.resources.IgniteInstanceResource;
import org.apache.ignite.resources.LoggerResource;
import org.apache.ignite.services.Service;

/**
 * The {@link FabricOrchestrator} service: one instance in the cluster (a cluster singleton), which selects fabrics,
 * keeps the reservation ledger and the wait queue, and records placements in {@code TASK_ASSIGNMENT}.
 * <p>
 * State: the ledger cache is the truth; the in-memory copy, the candidate table's free units and the map's
 * {@code RESOURCE_FREE} column are derived from it. {@link #init()} rebuilds them, so a new instance after a move
 * continues where the old one stopped. The wait queue is in memory only: after a move, waiting callers ask again and
 * are queued again. Every method runs under one lock: selection and reservation are one atomic step, so concurrent
 * callers never oversubscribe a fabric. The caches are written by a {@link LedgerWriter}, off the lock and in
 * batches, so they trail the in-memory state by milliseconds; {@link #cancel()} writes what is left.
 * <p>
 * A placement whose input travels over a data path carries a new upload token each time it is handed out (signed with
 * the cluster's transfer key, for the placed fabric and the input's size); the ledger never holds tokens. Not API.
 */
public final class OrchestratorService implements Service, FabricOrchestrator {
    private static final long serialVersionUID = 1L;

    /** Topic of the message that tells a caller node its queued task was placed; the message is the placement. */
    static final String PLACED_TOPIC = "fabric.stitch.placed";

    /** How often expired reservations and queue entries are swept, ms. */
    static final long SWEEP_INTERVAL_MS = 250;

    /** How long past its task's timeout a reservation survives before the sweeper takes it back, ms. */
    static final long RESERVATION_GRACE_MS = 5_000;

    /** How long a starting orchestrator waits for the callers to say what they hold, ms. */
    static final long HOLDINGS_PATIENCE_MS = 2_000;

    @IgniteInstanceResource
    private transient Ignite ignite;

    @LoggerResource
    private transient IgniteLogger log;

    private transient State state;

    @Override
    public void init() {
        FabricPlugin plugin = FabricPlugin.of(ignite);
        state = new State(ignite, log, plugin, Clock.systemUTC());
        state.start();
    }

    @Override
    public void execute() {
        // Everything runs in calls and on the sweeper.
    }

    @Override
    public void cancel() {
        State s = state;
        if (s != null)
            s.stop();
    }

    @Override
    public PlacementReply place(UUID taskId, int attempt, TaskRequest request, CostWeights weights,
        String priorityLabel, UUID callerNodeId, Set<UUID> excluded, long deadlineMillis) {
        return state().place(taskId, attempt, request, weights, priorityLabel, callerNodeId, excluded, deadlineMillis);
    }

    @Override
    public List<PlacementReply> placeAll(List<PlaceRequest> requests) {
        return state().placeAll(requests);
    }

    @Override
    public void releaseAll(List<HeldPlacement> ended) {
        checkEnded("releaseAll", ended);
        state().releaseAndPlace(ended, List.of());
    }

    @Override
    public List<PlacementReply> releaseAndPlace(List<HeldPlacement> ended, List<PlaceRequest> requests) {
        checkEnded("releaseAndPlace", ended);
        return state().releaseAndPlace(ended, requests);
    }

    private static void checkEnded(String call, List<HeldPlacement> ended) {
        for (HeldPlacement h : ended) {
            if (h == null || !h.hasEnded())
                throw new IllegalArgumentException(call + ": " + h + " (expected: attempts that ended, with their "
                    + "outcome)");
        }
    }

    @Override
    public boolean release(HeldPlacement held) {
        if (held == null || !held.hasEnded())
            throw new IllegalArgumentException("release: " + held + " (expected: an attempt that ended, with its "
                + "outcome)");
        return state().release(held);
    }

    @Override
    public boolean cancel(UUID taskId, TaskOutcome outcome, String detail) {
        return state().cancel(taskId, outcome, detail);
    }

    @Override
    public Map<UUID, Long> reservedUnits() {
        return state().reservedUnits();
    }

    @Override
    public int queuedTasks() {
        return state().queuedTasks();
    }

    private State state() {
        State s = state;
        if (s == null)
            throw new IllegalStateException("the orchestrator is not initialized yet");
        return s;
    }

    /** The orchestrator's working state; separate from the (serialized) service object. */
    private static final class State {
        private final Ignite ignite;
        private final IgniteLogger log;
        private final FabricPlugin plugin;
        private final FabricPluginConfiguration cfg;
        private final Clock clock;
        private final FabricSelector selector;
        /** Written under the lock; concurrent maps so that the {@link LedgerGuard} reads them without it. */
        private final Map<UUID, ReservationRow> reservations = new java.util.concurrent.ConcurrentHashMap<>();
        private final Map<UUID, Long> reservedByFabric = new java.util.concurrent.ConcurrentHashMap<>();
        private final LinkedHashMap<UUID, Ticket> queue = new LinkedHashMap<>();
        private final ServiceTimes serviceTimes = new ServiceTimes();
        /** Keys of the assignment rows kept, oldest first. */
        private final java.util.LinkedHashSet<String> assignmentKeys = new java.util.LinkedHashSet<>();
        private volatile LedgerWriter writer;
        private volatile LedgerGuard guard;
        private final ScheduledExecutorService sweeper;
        private final IgnitePredicate<Event> departures = this::onDeparture;
        private final SilenceWatch silence;
        private final DataPathSelector paths;
        private final Unreachable unreachable;
        private CandidateTable table;
        private long tableVersion = -1;
        private boolean stopped;

        State(Ignite ignite, IgniteLogger log, FabricPlugin plugin, Clock clock) {
            this.ignite = ignite;
            this.log = log;
            this.plugin = plugin;
            this.cfg = plugin.configuration();
            this.clock = clock;
            this.selector = plugin.selector();
            this.paths = new DataPathSelector(cfg.getDataPath().getThresholdBytes());
            this.unreachable = new Unreachable(2 * ignite.configuration().getFailureDetectionTimeout());
            this.silence = new SilenceWatch(cfg.getOrchestrator().getSilentDegradedAfterMs(),
                cfg.getOrchestrator().getSilentOfflineAfterMs(), this::healthIntervalOf);
            this.sweeper = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "fabric-orchestrator-" + ignite.name());
                t.setDaemon(true);
                return t;
            });
        }

        synchronized void start() {
            java.util.TreeSet<UUID> forged = new java.util.TreeSet<>();
            for (ReservationRow r : plugin.ledgerStore().readReservations()) {
                String wrong = unbelievable(r);
                if (wrong != null) {
                    log.warning("Fabric Stitch: RESERVATION row " + r.taskId() + " was not written by the orchestrator ("
                        + wrong + "): dropped");
                    if (r.taskId() != null)
                        forged.add(r.taskId());
                    continue;
                }
                reservations.put(r.taskId(), r);
                reservedByFabric.merge(r.fabricId(), r.amount(), Long::sum);
            }
            if (!forged.isEmpty())
                plugin.ledgerStore().removeReservations(forged);
            writer = new LedgerWriter(plugin.ledgerStore(), plugin.mapStore(), plugin.mapView(), log, ignite.name())
                .start(reservations.keySet());
            try {
                startLocked();
                reconcile(CallerHoldings.ask(ignite, HOLDINGS_PATIENCE_MS, log));
                if (log.isInfoEnabled())
                    log.info("Fabric Stitch: orchestrator started on " + ignite.cluster().localNode().consistentId()
                        + " with " + reservations.size() + " reservation(s) and " + table.size()
                        + " fabric(s) in the map");
                guard = new LedgerGuard(ignite, plugin.ledgerStore(), plugin.mapStore(), writer, plugin.mapView(),
                    reservations::get,
                    () -> new ArrayList<>(reservations.keySet()), id -> reservedByFabric.getOrDefault(id, 0L), log);
                guard.start(plugin.ledgerStore(), plugin.queryWatch());
            }
            catch (RuntimeException e) {
                stop(); // the sweeper and the listeners startLocked set up, and the writer: nothing is left running
                throw e;
            }
        }

        private void startLocked() {
            loadAssignmentKeys();
            refreshTable();
            for (int i = 0; i < table.size(); i++)
                publishFree(i);
            Set<UUID> alive = aliveNodes();
            for (ReservationRow r : new ArrayList<>(reservations.values())) {
                if (!alive.contains(r.callerNodeId()) || !alive.contains(r.nodeId()))
                    releaseLocked(r, TaskOutcome.LOST, "node left while the orchestrator moved");
            }
            ignite.events().localListen(departures, EventType.EVT_NODE_LEFT, EventType.EVT_NODE_FAILED);
            plugin.metrics().orchestratorStarted(this::queuedTasks, this::reservationCount);
            sweeper.scheduleWithFixedDelay(this::sweep, SWEEP_INTERVAL_MS, SWEEP_INTERVAL_MS, TimeUnit.MILLISECONDS);
            sweeper.scheduleWithFixedDelay(this::watchSilence, SWEEP_INTERVAL_MS, SWEEP_INTERVAL_MS,
                TimeUnit.MILLISECONDS);
        }

        /**
         * Makes the ledger say what the callers hold ({@code held}, per node that answered), since the previous
         * orchestrator may have died with writes still queued: an attempt that ended is released and recorded as its
         * caller saw it; one that runs is held, even if the ledger never got its reservation; a reservation whose
         * caller answered without it is released (its caller got the release through, or never got the placement and
         * asks again). A reservation whose attempt already has a final row is dropped without a new row.
         */
        private void reconcile(Map<UUID, List<HeldPlacement>> held) {
            int settled = 0;
            int adopted = 0;
            int dropped = 0;
            Map<String, ReservationRow> byKey = new HashMap<>();
            for (ReservationRow r : reservations.values())
                byKey.put(AssignmentRow.key(r.taskId(), r.attempt()), r);
            for (Map.Entry<String, AssignmentRow> e : plugin.ledgerStore().assignments(byKey.keySet()).entrySet()) {
                if (e.getValue().hasEnded()) {
                    releaseLocked(byKey.get(e.getKey()), TaskOutcome.LOST, "already ended"); // the row stays as is
                    dropped++;
                }
            }
            Set<UUID> reported = new java.util.HashSet<>();
            Set<UUID> alive = aliveNodes();
            for (List<HeldPlacement> attempts : held.values()) {
                for (HeldPlacement h : attempts) {
                    reported.add(h.taskId());
                    ReservationRow cur = reservations.get(h.taskId());
                    if (h.hasEnded()) {
                        FinalRow fin = new FinalRow();
                        settleLocked(h, fin, false);
                        fin.write(writer);
                        settled++;
                    }
                    else if (cur == null || cur.attempt() < h.attempt()) {
                        if (cur != null)
                            releaseLocked(cur, TaskOutcome.LOST, "superseded by attempt " + h.attempt());
                        if (adopt(h, alive))
                            adopted++;
                    }
                }
            }
            for (ReservationRow r : new ArrayList<>(reservations.values())) {
                if (held.containsKey(r.callerNodeId()) && !reported.contains(r.taskId())) {
                    releaseLocked(r, TaskOutcome.LOST, "its caller does not hold it: the placement never reached it "
                        + "(it asks again), or its release reached an orchestrator that died before recording it");
                    dropped++;
                }
            }
            if (settled + adopted + dropped > 0 && log.isInfoEnabled())
                log.info("Fabric Stitch: orchestrator settled the ledger with " + held.size() + " caller node(s): "
                    + settled + " ended attempt(s) recorded, " + adopted + " running one(s) the ledger lacked held, "
                    + dropped + " stale reservation(s) released");
        }

        /** Holds a running attempt the ledger lacks, if its fabric is still in the map on a live node. */
        private boolean adopt(HeldPlacement h, Set<UUID> alive) {
            Placement p = h.placement();
            int i = table.indexOf(p.fabricId());
            if (i < 0 || !alive.contains(p.nodeId()) || !alive.contains(h.callerNodeId()))
                return false; // its caller finds the fabric gone, and places the task again
            ReservationRow r = ReservationRow.of(p, h.function(), runtimeOf(h), h.callerNodeId(), h.placedAtMillis(),
                h.placedAtMillis() + h.timeoutMillis() + RESERVATION_GRACE_MS);
            writer.putReservation(r);
            reservations.put(r.taskId(), r);
            reservedByFabric.merge(r.fabricId(), r.amount(), Long::sum);
            table.take(i, r.amount());
            publishFree(i);
            String key = AssignmentRow.key(r.taskId(), r.attempt());
            writer.putAssignment(key, rowOf(h));
            assignmentKeys.add(key);
            return true;
        }

        void stop() {
            synchronized (this) {
                stopped = true;
            }
            sweeper.shutdownNow();
            plugin.metrics().orchestratorStopped();
            try {
                if (guard != null)
                    guard.close();
            }
            catch (RuntimeException e) {
                if (log.isDebugEnabled())
                    log.debug("Fabric Stitch: closing the ledger guard failed (node stopping?): " + e);
            }
            if (writer != null)
                writer.close();
            ignite.events().stopLocalListen(departures, EventType.EVT_NODE_LEFT, EventType.EVT_NODE_FAILED);
        }

        List<PlacementReply> placeAll(List<PlaceRequest> requests) {
            return releaseAndPlace(List.of(), requests);
        }

        synchronized PlacementReply place(UUID taskId, int attempt, TaskRequest request, CostWeights weights,
            String priorityLabel, UUID callerNodeId, Set<UUID> excluded, long deadlineMillis) {
            checkRunning();
            return placeLocked(taskId, attempt, request, weights, priorityLabel, callerNodeId, excluded,
                deadlineMillis);
        }

        private PlacementReply placeLocked(UUID taskId, int attempt, TaskRequest request, CostWeights weights,
            String priorityLabel, UUID callerNodeId, Set<UUID> excluded, long deadlineMillis) {
            ReservationRow held = reservations.get(taskId);
            if (held != null) {
                if (held.attempt() == attempt)
                    return PlacementReply.placed(granted(held.placement(), request.inputBytes()));
                if (held.attempt() > attempt)
                    return PlacementReply.noFabric("attempt " + attempt + " of task " + taskId
                        + " is superseded by attempt " + held.attempt());
                releaseLocked(held, TaskOutcome.LOST, "superseded by attempt " + attempt);
            }
            refreshTable();
            Ticket waiting = queue.get(taskId);
            Ticket ticket = new Ticket(new PlaceRequest(taskId, attempt, request, weights, priorityLabel,
                callerNodeId, excluded, deadlineMillis), waiting != null ? waiting.queuedAt : clock.millis());
            if (waiting != null)
                ticket.heldSince = waiting.heldSince;
            long started = System.nanoTime();
            Selection s = selector.select(table, request, weights, excluded, unreachable.fabrics(table),
                serviceTimes.expectedMs(request));
            plugin.metrics().selected(System.nanoTime() - started);
            if (s.isPlaced()) {
                String hold = holdForFaster(ticket, s, () -> waitingBefore(taskId));
                if (hold != null) {
                    queue.put(taskId, ticket);
                    return PlacementReply.queued(hold + "; " + queue.size() + " task(s) waiting");
                }
                queue.remove(taskId);
                return PlacementReply.placed(reserve(ticket, s));
            }
            if (!s.isBusy()) {
                queue.remove(taskId);
                return PlacementReply.noFabric(s.reason());
            }
            if (queue.containsKey(taskId)) {
                queue.put(taskId, ticket); // keeps its place in line
                return PlacementReply.queued(s.reason() + "; " + queue.size() + " task(s) waiting");
            }
            if (queue.size() >= cfg.getOrchestrator().getMaxQueuedTasks()) {
                return PlacementReply.queueFull("wait queue full: " + queue.size() + " task(s) wait for busy fabrics "
                    + "(expected: at most orchestrator.maxQueuedTasks=" + cfg.getOrchestrator().getMaxQueuedTasks()
                    + "); " + s.reason());
            }
            queue.put(taskId, ticket);
            return PlacementReply.queued(s.reason() + "; " + queue.size() + " task(s) waiting");
        }

        /**
         * Releases every attempt of the batch under one hold of the lock and serves the queue once, then writes their
         * final rows in one batch before returning, outside the lock.
         */
        List<PlacementReply> releaseAndPlace(List<HeldPlacement> ended, List<PlaceRequest> requests) {
            Map<String, AssignmentRow> held = new java.util.TreeMap<>();
            Map<String, AssignmentRow> unheld = new java.util.TreeMap<>();
            List<PlacementReply> replies = new ArrayList<>(requests.size());
            synchronized (this) {
                checkRunning();
                for (HeldPlacement h : ended) {
                    FinalRow fin = new FinalRow();
                    settleLocked(h, fin, false);
                    if (fin.row != null)
                        (fin.unheld ? unheld : held).put(fin.key, fin.row);
                }
                if (!ended.isEmpty())
                    serveQueue();
                for (PlaceRequest r : requests) {
                    replies.add(placeLocked(r.taskId(), r.attempt(), r.request(), r.weights(), r.priorityLabel(),
                        r.callerNodeId(), r.excluded(), r.deadlineMillis()));
                }
            }
            if (!held.isEmpty())
                writer.putEndedNow(held);
            if (!unheld.isEmpty())
                writer.putCallersWordNow(unheld);
            return replies;
        }

        /** Releases under the lock, then writes the attempt's final row before returning, outside the lock. */
        boolean release(HeldPlacement ended) {
            FinalRow fin = new FinalRow();
            boolean released = releaseDeferred(ended, fin);
            fin.write(writer);
            return released;
        }

        private synchronized boolean releaseDeferred(HeldPlacement ended, FinalRow fin) {
            checkRunning();
            return settleLocked(ended, fin, true);
        }

        /**
         * Releases the reservation of the ended attempt {@code ended} if held, and records how it ended, as its caller
         * says, either way: a reservation this orchestrator never held (its predecessor released it, or died before
         * writing it) still gets the caller's final row.
         */
        private boolean settleLocked(HeldPlacement ended, FinalRow fin, boolean serve) {
            UUID node = ended.placement().nodeId();
            if (ended.isNodeUnreachable() && ignite.cluster().node(node) != null && unreachable.add(node)
                && log.isInfoEnabled()) {
                log.info("Fabric Stitch: a caller could not reach node " + ended.placement().nodeName() + " ("
                    + ended.detail() + "): no task is placed there until Ignite judges it, for at most "
                    + unreachable.forMs() + " ms");
            }
            ReservationRow held = reservations.get(ended.taskId());
            if (held == null || held.attempt() != ended.attempt()) {
                String key = AssignmentRow.key(ended.taskId(), ended.attempt());
                fin.setUnheld(key, rowOf(ended).ended(ended.outcome().name(), ended.detail(), clock.millis()));
                return false;
            }
            releaseLocked(held, ended.outcome(), ended.detail(), fin);
            if (serve)
                serveQueue();
            return true;
        }

        /** The RUNNING assignment row of an attempt as its caller holds it. */
        private AssignmentRow rowOf(HeldPlacement h) {
            return AssignmentRow.running(h.placement(), h.function(), runtimeOf(h), h.callerNodeId(),
                h.placedAtMillis());
        }

        private String runtimeOf(HeldPlacement h) {
            if (h.closure())
                return null;
            refreshTable();
            int i = table.indexOf(h.placement().fabricId());
            return i < 0 ? null : AssignmentRow.runtimeOf(table.fabric(i), h.function());
        }

        boolean cancel(UUID taskId, TaskOutcome outcome, String detail) {
            FinalRow fin = new FinalRow();
            boolean cancelled = cancelDeferred(taskId, outcome, detail, fin);
            fin.write(writer);
            return cancelled;
        }

        private synchronized boolean cancelDeferred(UUID taskId, TaskOutcome outcome, String detail, FinalRow fin) {
            checkRunning();
            boolean dequeued = queue.remove(taskId) != null;
            ReservationRow held = reservations.get(taskId);
            if (held != null) {
                releaseLocked(held, outcome, detail, fin);
                serveQueue();
            }
            return dequeued || held != null;
        }

        synchronized Map<UUID, Long> reservedUnits() {
            return new HashMap<>(reservedByFabric);
        }

        synchronized int queuedTasks() {
            return queue.size();
        }

        synchronized int reservationCount() {
            return reservations.size();
        }

        private void checkRunning() {
            if (stopped)
                throw new IllegalStateException("the orchestrator on " + ignite.name() + " is stopping");
        }

        /** Reserves the selected fabric for the ticket's task and records the placement. */
        private Placement reserve(Ticket t, Selection s) {
            PlaceRequest q = t.req;
            TaskRequest req = q.request();
            FabricEntry f = s.fabric();
            FabricRow row = plugin.mapView().row(f.getFabricId());
            String nodeName = row != null ? row.nodeName() : String.valueOf(f.getNodeId());
            Placement p = new Placement(q.taskId(), q.attempt(), f.getFabricId(), f.getNodeId(), nodeName,
                f.getFabricType(), f.getModel(), f.getResourceUnit(), req.amount(), q.priorityLabel(), s.terms());
            p = p.withDataPath(paths.choose(req.inputBytes(), ignite.cluster().node(q.callerNodeId()),
                ignite.cluster().node(f.getNodeId()), f));
            long now = clock.millis();
            String runtime = req.closure() ? null : AssignmentRow.runtimeOf(f, req.function());
            ReservationRow r = ReservationRow.of(p, req.function(), runtime, q.callerNodeId(), now,
                now + req.timeout().toMillis() + RESERVATION_GRACE_MS);
            writer.putReservation(r);
            reservations.put(q.taskId(), r);
            serviceTimes.started(q.taskId(), req, f.speedFor(req.function()), System.nanoTime());
            reservedByFabric.merge(f.getFabricId(), r.amount(), Long::sum);
            table.take(s.index(), r.amount());
            publishFree(s.index());
            String key = AssignmentRow.key(q.taskId(), q.attempt());
            writer.putAssignment(key, AssignmentRow.running(p, req.function(), runtime, q.callerNodeId(), now));
            assignmentKeys.add(key);
            trimAssignments();
            if (log.isDebugEnabled())
                log.debug("Fabric Stitch: placed " + p);
            return granted(p, req.inputBytes());
        }

        /**
         * {@code p} with a new token for uploading its input, when the input travels over a data path: for this
         * fabric, at most {@code inputBytes}, opened within {@code dataPath.tokenTtlMs}, under a new transfer id.
         */
        private Placement granted(Placement p, long inputBytes) {
            if (p.dataPath().path() == DataPath.JOB)
                return p;
            return p.withTransferToken(TransferGrant.upload(UUID.randomUUID(), p.fabricId(), inputBytes,
                clock.millis() + cfg.getDataPath().getTokenTtlMs()).sign(plugin.transferKey().current()));
        }

        private void releaseLocked(ReservationRow r, TaskOutcome outcome, String detail) {
            releaseLocked(r, outcome, detail, null);
        }

        /** Releases {@code r}; its final TASK_ASSIGNMENT row goes to {@code fin} when given, else to the writer. */
        private void releaseLocked(ReservationRow r, TaskOutcome outcome, String detail, FinalRow fin) {
            writer.removeReservation(r.taskId());
            reservations.remove(r.taskId());
            serviceTimes.ended(r.taskId(), outcome == TaskOutcome.SUCCEEDED, System.nanoTime());
            reservedByFabric.computeIfPresent(r.fabricId(), (k, v) -> v - r.amount() <= 0 ? null : v - r.amount());
            int i = table.indexOf(r.fabricId());
            if (i >= 0) {
                table.give(i, r.amount());
                publishFree(i);
            }
            // Written even when the RUNNING row never reached the cache (a predecessor died with it queued), so that
            // every attempt ends with a final row; one trimmed meanwhile comes back and is trimmed again.
            String key = AssignmentRow.key(r.taskId(), r.attempt());
            AssignmentRow ended = AssignmentRow.running(r.placement(), r.function(), r.runtime(),
                r.callerNodeId(), r.createdAtMillis()).ended(outcome.name(), detail, clock.millis());
            if (fin != null)
                fin.set(key, ended);
            else
                writer.putAssignment(key, ended);
            if (assignmentKeys.add(key))
                trimAssignments();
            if (outcome == TaskOutcome.LOST)
                log.info("Fabric Stitch: released " + r + " (" + outcome + ": " + detail + ')');
        }

        /** Places waiting tasks, oldest first, wherever resources have freed up; drops those past their deadline. */
        private void serveQueue() {
            if (queue.isEmpty())
                return;
            refreshTable();
            long now = clock.millis();
            List<Ticket> ahead = new ArrayList<>();
            for (Iterator<Ticket> it = queue.values().iterator(); it.hasNext(); ) {
                Ticket t = it.next();
                if (now >= t.req.deadlineMillis()) {
                    it.remove();
                    continue;
                }
                TaskRequest req = t.req.request();
                Selection s = selector.select(table, req, t.req.weights(), t.req.excluded(),
                    unreachable.fabrics(table), serviceTimes.expectedMs(req));
                if (s.isBusy() || (s.isPlaced() && holdForFaster(t, s, () -> ahead) != null)) {
                    ahead.add(t);
                    continue;
                }
                it.remove();
                if (s.isPlaced())
                    notifyCaller(t, reserve(t, s));
            }
        }

        /** The tickets waiting before task {@code taskId} (all of them when it does not wait yet). */
        private List<Ticket> waitingBefore(UUID taskId) {
            List<Ticket> ahead = new ArrayList<>(queue.size());
            for (Ticket t : queue.values()) {
                if (t.req.taskId().equals(taskId))
                    break;
                ahead.add(t);
            }
            return ahead;
        }

        /**
         * Why {@code t} should wait for a faster fabric rather than take {@code s}'s, or null to take it. With W its
         * size, B the size of the tasks waiting {@code ahead} of it and R the rate of the busy faster fabrics that fit
         * (in tasks like it per run of it on {@code s}'s fabric), it waits while {@code (B + W) / R < W}: the faster
         * fabrics would be through the tasks ahead and this one before the slower one finished it. Sizes come from
         * {@link TaskRequest#size()} (unknown sizes count as this task's). A task is held at most {@code
         * orchestrator.holdForFasterMs} from the first time it is held, and at most half of the queue time it has left
         * then (so that it is placed before its deadline), since the running tasks' remaining time is unknown; never
         * when the queue is full.
         */
        private String holdForFaster(Ticket t, Selection s, java.util.function.Supplier<List<Ticket>> waitingAhead) {
            long now = clock.millis();
            long since = t.heldSince >= 0 ? t.heldSince : now;
            long holdMs = Math.min(cfg.getOrchestrator().getHoldForFasterMs(), (t.req.deadlineMillis() - since) / 2);
            if (holdMs <= 0 || queue.size() >= cfg.getOrchestrator().getMaxQueuedTasks() || now >= since + holdMs)
                return null;
            double rate = selector.fasterCapacity(table, t.req.request(), t.req.excluded(), s.index());
            if (rate <= 1)
                return null;
            double w = t.req.request().size() > 0 ? t.req.request().size() : 1;
            double before = 0;
            List<Ticket> ahead = waitingAhead.get(); // only now: most placements are decided before this
            for (Ticket a : ahead)
                before += sameSizeKind(t.req.request(), a.req.request()) ? a.req.request().size() : w;
            if ((before + w) / rate >= w)
                return null;
            if (t.heldSince < 0)
                t.heldSince = now;
            FabricEntry f = s.fabric();
            return String.format(java.util.Locale.ROOT, "held for a faster fabric: %s %s (speed %s) is free, but the "
                + "busy faster fabrics that fit run %.1f tasks like this one in its time and %d wait ahead of it",
                f.getFabricType(), f.getModel(), f.speedFor(t.req.request().function()), rate, ahead.size());
        }

        /** Tells the caller its queued task was placed, with the placement, so it need not ask again. */
        /** Whether two sizes compare: both given as work, or both the input's bytes (none counts as the other's). */
        private static boolean sameSizeKind(TaskRequest a, TaskRequest b) {
            return a.size() > 0 && b.size() > 0 && (a.work() > 0) == (b.work() > 0);
        }

        private void notifyCaller(Ticket t, Placement p) {
            try {
                ignite.message(ignite.cluster().forNodeId(t.req.callerNodeId())).send(PLACED_TOPIC, p);
            }
            catch (RuntimeException e) {
                log.debug("Fabric Stitch: caller of task " + t.req.taskId() + " not told of its placement (" + e
                    + "); it finds out when it asks again");
            }
        }

        /** Rebuilds the candidate table when the map changed other than in load; free units come from the ledger. */
        private void refreshTable() {
            FabricMapView view = plugin.mapView();
            long v = view.structureVersion();
            if (table != null && v == tableVersion)
                return;
            CandidateTable t = CandidateTable.of(view.entries());
            for (int i = 0; i < t.size(); i++) {
                FabricEntry f = t.fabric(i);
                t.setFree(i, f.getResourceCount() - reservedByFabric.getOrDefault(f.getFabricId(), 0L));
            }
            table = t;
            tableVersion = v;
        }

        /** Writes a fabric's free units to the map when the map shows another value. */
        private void publishFree(int i) {
            FabricEntry f = table.fabric(i);
            writer.publishFree(f.getFabricId(), table.free(i));
        }

        private void loadAssignmentKeys() {
            plugin.ledgerStore().assignmentStarts().entrySet().stream()
                .sorted(Map.Entry.comparingByValue(Comparator.naturalOrder()))
                .forEach(e -> assignmentKeys.add(e.getKey()));
            trimAssignments();
        }

        private void trimAssignments() {
            int excess = assignmentKeys.size() - cfg.getOrchestrator().getTaskAssignmentMaxRows();
            if (excess <= 0)
                return;
            List<String> drop = new ArrayList<>(excess);
            java.util.Iterator<String> oldest = assignmentKeys.iterator();
            for (int i = 0; i < excess; i++) {
                drop.add(oldest.next());
                oldest.remove();
            }
            writer.removeAssignments(drop);
        }

        private Set<UUID> aliveNodes() {
            Set<UUID> ids = new java.util.HashSet<>();
            for (ClusterNode n : ignite.cluster().nodes())
                ids.add(n.id());
            return ids;
        }

        private boolean onDeparture(Event evt) {
            UUID gone = ((DiscoveryEvent)evt).eventNode().id();
            String how = evt.type() == EventType.EVT_NODE_FAILED ? "failed" : "left";
            try {
                sweeper.execute(() -> settleDeparture(gone, how));
            }
            catch (RuntimeException e) {
                log.debug("Fabric Stitch: orchestrator stopping, departure of " + gone + " not settled here");
            }
            return true;
        }

        private synchronized void settleDeparture(UUID gone, String how) {
            if (stopped)
                return;
            queue.values().removeIf(t -> t.req.callerNodeId().equals(gone));
            unreachable.remove(gone);
            for (ReservationRow r : new ArrayList<>(reservations.values())) {
                if (gone.equals(r.callerNodeId()) || gone.equals(r.nodeId()))
                    releaseLocked(r, TaskOutcome.LOST, "node " + gone + ' ' + how);
            }
            serveQueue();
        }

        /** How often the agent of {@code nodeId} reports, from its node attribute (this node's setting if none). */
        private long healthIntervalOf(UUID nodeId) {
            ClusterNode n = ignite.cluster().node(nodeId);
            Object v = n == null ? null : n.attribute(FabricMapSchema.ATTR_HEALTH_INTERVAL_MS);
            return v instanceof Number ? ((Number)v).longValue() : cfg.getAgent().getHealthIntervalMs();
        }

        /** Turns the fabrics of agents that stopped reporting DEGRADED, then OFFLINE (outside the placement lock). */
        private void watchSilence() {
            try {
                boolean wasAllSilent = silence.allSilentLogged();
                List<SilenceWatch.Mark> marks = silence.check(plugin.mapView().rows(),
                    id -> ignite.cluster().node(id) != null, System.nanoTime());
                if (silence.allSilentLogged() && !wasAllSilent)
                    log.warning("Fabric Stitch: no agent has reported for a while, all at once: the Fabric Map's "
                        + "cache or this node stalls, not the agents; no fabric is marked for silence until they "
                        + "report again");
                for (SilenceWatch.Mark m : marks) {
                    synchronized (this) {
                        if (stopped)
                            return;
                    }
                    if (plugin.mapStore().markSilent(m.fabricId, m.nodeId, m.reportedAtMillis, m.status, m.reason))
                        log.info("Fabric " + m.fabricId + " " + m.status + ": " + m.reason);
                }
            }
            catch (RuntimeException e) {
                log.warning("Fabric Stitch: orchestrator silence check failed (will retry): " + e);
            }
        }

        /**
         * Why a reservation read from the ledger cache at start cannot be one this orchestrator wrote (a field missing,
         * a fabric not in the map or not on that node, more units than the fabric has), or null.
         */
        private String unbelievable(ReservationRow r) {
            if (r.taskId() == null || r.fabricId() == null || r.nodeId() == null || r.callerNodeId() == null
                || !r.hasTimes())
                return "a field is missing";
            FabricRow f = plugin.mapView().row(r.fabricId());
            if (f == null || !r.nodeId().equals(f.nodeId()))
                return "fabric " + r.fabricId() + " is not in the Fabric Map on node " + r.nodeId();
            if (r.amount() <= 0 || r.amount() > f.resourceCount())
                return r.amount() + " units of a fabric of " + f.resourceCount();
            return null;
        }

        private synchronized void sweep() {
            if (stopped)
                return;
            try {
                long now = clock.millis();
                for (ReservationRow r : new ArrayList<>(reservations.values())) {
                    if (now > r.expiresAtMillis())
                        releaseLocked(r, TaskOutcome.LOST, "reservation expired unreleased");
                }
                serveQueue();
            }
            catch (RuntimeException e) {
                log.warning("Fabric Stitch: orchestrator sweep failed (will retry): " + e);
            }
        }
    }

    /** A task waiting for resources. */
    /**
     * The final TASK_ASSIGNMENT row of an attempt its caller released: written on the caller's call, outside the lock,
     * so that the caller reads it once its call returns.
     */
    private static final class FinalRow {
        private String key;
        private AssignmentRow row;

        /** Whether no orchestrator held the attempt: its row may already be final, and is merged with it. */
        private boolean unheld;

        /** The row of an attempt this orchestrator held: the cache holds it RUNNING or not at all. */
        void set(String key, AssignmentRow row) {
            this.key = key;
            this.row = row;
        }

        void setUnheld(String key, AssignmentRow row) {
            set(key, row);
            unheld = true;
        }

        /** Writes the row now, as the caller's word; when that fails, the writer writes it after its next batch. */
        void write(LedgerWriter writer) {
            if (row == null)
                return;
            try {
                writer.putCallersWordNow(key, row);
            }
            catch (RuntimeException e) {
                writer.afterPending(() -> writer.putCallersWordNow(key, row));
            }
        }
    }

    private static final class Ticket {
        final PlaceRequest req;
        /** When the task first waited (kept when its caller asks again). */
        final long queuedAt;
        /**
         * When the task was first held for a faster fabric while a slower one had room, or -1: the hold is counted
         * from then, not from {@link #queuedAt}, since a task that waited for any room at all has not waited for speed.
         */
        long heldSince = -1;

        Ticket(PlaceRequest req, long queuedAt) {
            this.req = req;
            this.queuedAt = queuedAt;
        }
    }
}
