"""Run the emulator in the foreground: python -m tests.emulator [--latency-ms N] [--token-port P] [--seed demo]

Prints `export X=...` lines for a shell that should run az against it, then serves until SIGTERM/SIGINT.
"""
import argparse
import signal
import sys
import tempfile
import threading

from . import Emulator


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m tests.emulator", description=__doc__.splitlines()[0])
    parser.add_argument("--latency-ms", type=int, default=0, help="delay every emulated request by N ms")
    parser.add_argument("--token-port", type=int, default=50342, help="Cloud Shell token/admin port (az needs 50342)")
    parser.add_argument("--seed", choices=["demo"], help="preload a ready-made world")
    parser.add_argument("--rng-seed", type=int, default=0, help="seed of the id generator")
    parser.add_argument("--page-size", type=int, default=2, help="Graph and ARM page size")
    parser.add_argument("--config-dir", help="AZURE_CONFIG_DIR to print (default: a new temp dir)")
    args = parser.parse_args(argv)

    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())

    config_dir = args.config_dir or tempfile.mkdtemp(prefix="az-emulated-cloudshell-")
    with Emulator(seed=args.rng_seed, token_port=args.token_port, latency_ms=args.latency_ms,
                  page_size=args.page_size) as emulator:
        if args.seed == "demo":
            emulator.seed_demo()
        for key, value in emulator.env_overrides(config_dir).items():
            print(f"export {key}={value}")
        print(f"# admin API: http://127.0.0.1:{emulator.token_port}/_emulator/state ; "
              f"tenant {emulator.tenant_id} subscription {emulator.subscription_id}; then run: az login --identity")
        sys.stdout.flush()
        while not stop.wait(0.2):
            pass
    print("# emulator stopped", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
