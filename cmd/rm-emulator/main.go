// Command rm-emulator serves the YARN ResourceManager emulator (yarnclient/rmemulator) for the
// local demo: one RM or an HA pair/triple, some NodeManagers, an optional workload and optional
// SPNEGO.
//
//	rm-emulator -listen 127.0.0.1:8088,127.0.0.1:8089 -nodes 4 -workload
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/jcmturner/gokrb5/v8/keytab"

	"github.com/elasticyarn/elastic-yarn-operator/yarnclient/rmemulator"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "rm-emulator:", err)
		os.Exit(1)
	}
}

func run() error {
	listen := flag.String("listen", "127.0.0.1:8088", "comma-separated listen addresses, one per RM (two or three for HA)")
	nodes := flag.Int("nodes", 3, "NodeManagers to register (hosts nm-<i>.example.test, RPC port 8041)")
	memory := flag.Int64("node-memory-mb", 65536, "configured NM memory")
	vcores := flag.Int64("node-vcores", 32, "configured NM vcores")
	workload := flag.Bool("workload", false, "keep a backlog of applications running")
	tick := flag.Duration("tick", time.Second, "workload step interval")
	resizeDelay := flag.Duration("resize-delay", 500*time.Millisecond, "delay before a resize becomes visible")
	pre33 := flag.Bool("pre33", false, "behave like an RM older than Hadoop 3.3 (no resize endpoint)")
	keytabPath := flag.String("spnego-keytab", "", "HTTP/<host> keytab: require SPNEGO authentication")
	admins := flag.String("admins", "", "comma-separated admin users for label mutations (empty: everyone)")
	line := flag.String("line", "hadoop33", "Hadoop code line whose error shapes to reproduce: hadoop33 (Jersey 1) or trunk (Jersey 2)")
	forgetResize := flag.Bool("forget-resize-on-rm-restart", false, "lose runtime resizes on an RM restart or failover (RMs without Hadoop 3.3's heartbeat sync-back)")
	reregistration := flag.Duration("reregistration-delay", 0, "how long NodeManagers take to re-register after a failover (0: the emulator's default)")
	schedulingWait := flag.Duration("scheduling-wait", 0, "work-preserving-recovery.scheduling-wait-ms after a failover (0: 10s, negative: none)")
	flag.Parse()

	addrs := strings.Split(*listen, ",")
	cfg := rmemulator.Config{RMs: len(addrs), Pre33: *pre33, ResizeDelay: *resizeDelay,
		ForgetResizeOnRMRestart: *forgetResize, ReregistrationDelay: *reregistration, SchedulingWait: *schedulingWait}
	switch *line {
	case "hadoop33":
		cfg.Line = rmemulator.Hadoop33
	case "trunk":
		cfg.Line = rmemulator.Trunk
	default:
		return fmt.Errorf("-line %q: want hadoop33 or trunk", *line)
	}
	if *admins != "" {
		cfg.AdminUsers = strings.Split(*admins, ",")
	}
	if *workload {
		cfg.Workload = &rmemulator.WorkloadConfig{Backlog: 6, Priorities: []int{0, 5, 10},
			App: rmemulator.AppSpec{Duration: 2 * time.Minute}}
	}
	if *keytabPath != "" {
		b, err := os.ReadFile(*keytabPath)
		if err != nil {
			return err
		}
		kt := keytab.New()
		if err := kt.Unmarshal(b); err != nil {
			return fmt.Errorf("keytab %s: %w", *keytabPath, err)
		}
		cfg.SPNEGO = &rmemulator.SPNEGOConfig{Keytab: kt}
	}
	e := rmemulator.New(cfg)
	for i := 0; i < *nodes; i++ {
		if _, err := e.RegisterNode(rmemulator.NodeSpec{Host: fmt.Sprintf("nm-%d.example.test", i), RPCPort: 8041,
			HTTPPort: 8042, Capacity: rmemulator.Resource{MemoryMB: *memory, VCores: *vcores}}); err != nil {
			return err
		}
	}
	if err := e.StartOn(addrs); err != nil {
		return err
	}
	defer e.Close()
	for i, u := range e.URLs() {
		role := "standby"
		if i == e.ActiveRM() {
			role = "active"
		}
		fmt.Printf("rm-emulator: RM %d (%s) listening on %s\n", i, role, u)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if *workload {
		go e.RunWorkload(ctx, *tick)
	}
	<-ctx.Done()
	return nil
}
