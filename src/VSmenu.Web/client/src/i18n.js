// pt-BR by default (the restaurants' language), English on request; the choice is kept on the device.
const messages = {
  'pt-BR': {
    appName: 'VSmenu',
    kitchen: 'Cozinha',
    floor: 'Salão',
    signIn: 'Entrar',
    signOut: 'Sair',
    email: 'E-mail',
    password: 'Senha',
    signInFailed: 'E-mail ou senha incorretos.',
    signInUnavailable: 'Não foi possível entrar agora; tente novamente.',
    notAllowedKitchen: 'A tela da cozinha é para a equipe da cozinha, gerentes e proprietários.',
    language: 'Idioma',
    connecting: 'Conectando…',
    live: 'Ao vivo',
    reconnecting: 'Reconectando…',
    offline: 'Sem conexão',
    confirmed: 'Confirmados',
    preparing: 'Em preparo',
    ready: 'Prontos',
    bump: 'Avançar',
    recall: 'Voltar',
    allDay: 'Total do dia',
    nothingToCook: 'Nada a preparar.',
    order: 'Pedido',
    table: 'Mesa',
    dine_in: 'Salão',
    takeaway: 'Retirada',
    delivery: 'Entrega',
    cancelled: 'Cancelado',
    minutes: 'min',
    tables: 'Mesas',
    readyToServe: 'Prontos para servir',
    available: 'Livre',
    occupied: 'Ocupada',
    reserved: 'Reservada',
    cleaning: 'Limpeza',
    seats: 'lugares',
    nothingReady: 'Nenhum pedido pronto.',
    actionFailed: 'Não foi possível atualizar o pedido; tente novamente.',
    keyboardHelp: 'Setas ou 1–9 selecionam, Enter avança, Backspace volta.',
    degraded: 'Sistema instável, fora do ar',
    'dependency.vsmenudb': 'banco de dados',
    'dependency.redis': 'tempo real e filas',
    maintenance: 'Manutenção',
    until: 'até',
  },
  en: {
    appName: 'VSmenu',
    kitchen: 'Kitchen',
    floor: 'Floor',
    signIn: 'Sign in',
    signOut: 'Sign out',
    email: 'Email',
    password: 'Password',
    signInFailed: 'Wrong email or password.',
    signInUnavailable: 'Could not sign in right now; try again.',
    notAllowedKitchen: 'The kitchen display is for kitchen staff, managers and owners.',
    language: 'Language',
    connecting: 'Connecting…',
    live: 'Live',
    reconnecting: 'Reconnecting…',
    offline: 'Offline',
    confirmed: 'Confirmed',
    preparing: 'Preparing',
    ready: 'Ready',
    bump: 'Bump',
    recall: 'Recall',
    allDay: 'All day',
    nothingToCook: 'Nothing to cook.',
    order: 'Order',
    table: 'Table',
    dine_in: 'Dine-in',
    takeaway: 'Takeaway',
    delivery: 'Delivery',
    cancelled: 'Cancelled',
    minutes: 'min',
    tables: 'Tables',
    readyToServe: 'Ready to serve',
    available: 'Free',
    occupied: 'Occupied',
    reserved: 'Reserved',
    cleaning: 'Cleaning',
    seats: 'seats',
    nothingReady: 'No order is ready.',
    actionFailed: 'Could not update the order; try again.',
    keyboardHelp: 'Arrows or 1–9 select, Enter bumps, Backspace recalls.',
    degraded: 'System degraded, down',
    'dependency.vsmenudb': 'database',
    'dependency.redis': 'live updates and queues',
    maintenance: 'Maintenance',
    until: 'until',
  },
};

export const languages = Object.keys(messages);

let current = localStorage.getItem('vsmenu.language') ?? 'pt-BR';

export function t(key) {
  return messages[current]?.[key] ?? messages['pt-BR'][key] ?? key;
}

export function language() {
  return current;
}

export function setLanguage(value) {
  if (!messages[value]) return;
  current = value;
  localStorage.setItem('vsmenu.language', value);
  document.documentElement.lang = value;
}
