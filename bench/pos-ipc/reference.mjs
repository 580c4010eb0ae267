// bench/pos.sh's reference server: answers each byte it reads with one byte, after spending `cpu-ms` of its own CPU time
// (not wall time, so a wait for a core lengthens the answer as it would a real call's). Timed at the same moments as the
// terminal, it shows what the machine alone makes of a call that needs that much CPU.
// Usage: node reference.mjs <socket path> <cpu-ms>
import net from 'node:net';

const [path, cpuMs] = [process.argv[2], Number(process.argv[3])];
/** CPU microseconds this process has used (user + system). */
const cpu = () => { const { user, system } = process.cpuUsage(); return user + system; };
const server = net.createServer((socket) => socket.on('data', (bytes) => {
  for (let i = 0; i < bytes.length; i++) {
    const until = cpu() + cpuMs * 1000;
    while (cpu() < until);
  }
  socket.write(bytes);
}));
server.listen(path, () => console.log('listening'));
