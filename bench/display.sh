# Sourced by the desktop benchmarks: a scratch folder ($work, removed on exit) and a private
# Xvfb display (DISPLAY exported), so the app's window appears on no one's screen.
work=$(mktemp -d)
xvfb_pid=""
cleanup() {
  [ -n "$xvfb_pid" ] && kill "$xvfb_pid" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT

fifo="$work/display"
mkfifo "$fifo"
Xvfb -displayfd 5 -screen 0 1280x800x24 -nolisten tcp 5>"$fifo" >/dev/null 2>&1 &
xvfb_pid=$!
read -r display_no <"$fifo"
export DISPLAY=":$display_no"
