/**
 * A barrier that opens once `parties` callers have arrived. Work that runs one
 * piece after another never gets them all there: the first waits for the rest,
 * which are not started yet. Rather than hang until the test's timeout, the wait
 * gives up after `giveUpMs` with a message saying so. Generous, because it only bounds
 * a failure: on a loaded machine the parties may take seconds to start.
 */
export function latch(
  parties: number,
  giveUpMs = 30_000,
): { arrive(): Promise<void>; readonly arrived: number } {
  let arrived = 0;
  let open: () => void = () => {};
  const opened = new Promise<void>((resolve) => {
    open = resolve;
  });
  return {
    get arrived() {
      return arrived;
    },
    arrive() {
      arrived += 1;
      if (arrived >= parties) open();
      return new Promise<void>((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`only ${arrived} of ${parties} started: they ran one after another`)),
          giveUpMs,
        );
        opened.then(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    },
  };
}
