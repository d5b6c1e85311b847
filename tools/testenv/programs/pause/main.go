// pause holds a pod's namespaces open: the sandbox container every pod starts
// first. It sleeps until told to stop and, as PID 1 of pods that share a process
// namespace, reaps the orphans handed to it. Written for the test environment,
// where kubeadm's registry.k8s.io/pause image cannot be pulled.
package main

import (
	"os"
	"os/signal"
	"syscall"
)

func main() {
	signals := make(chan os.Signal, 8)
	signal.Notify(signals, syscall.SIGINT, syscall.SIGTERM, syscall.SIGCHLD)
	for s := range signals {
		if s != syscall.SIGCHLD {
			os.Exit(0)
		}
		for {
			var status syscall.WaitStatus
			pid, err := syscall.Wait4(-1, &status, syscall.WNOHANG, nil)
			if pid <= 0 || err != nil {
				break
			}
		}
	}
}
